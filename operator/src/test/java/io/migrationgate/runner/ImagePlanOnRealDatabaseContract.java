package io.migrationgate.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.RunReport;
import io.migrationgate.contract.RunReport.HistoryEntry;
import io.migrationgate.contract.RunReport.RiskFinding;
import io.migrationgate.runner.RunnerInvocation.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The plan of an image source ({@code plan --scripts-image}), against a real server: the image is
 * not opened before approval, so the plan reads the database only, says so, and pins the same
 * database state as a plan with the scripts in hand, the state the run then checks.
 */
abstract class ImagePlanOnRealDatabaseContract extends OnRealDatabase {

  static final String IMAGE = "registry.example/orders-migrations@sha256:" + "fe".repeat(32);
  private static final String PLACEHOLDERS = PlanOnRealDatabaseContract.PLACEHOLDERS;

  @Test
  void anImageSourcesPlanReadsTheDatabaseOnlyAndSaysTheScriptsWereNotRead() throws Exception {
    String url = database().newDatabaseUrl();
    Path scripts = scripts(PlanOnRealDatabaseContract.fourScripts());
    assertThat(runner("--scripts=" + scripts, "--url=" + url, "--placeholders=" + PLACEHOLDERS, "--target=2")
        .exitCode()).isZero();

    Result result = plan("--scripts-image=" + IMAGE, "--url=" + url, "--placeholders=" + PLACEHOLDERS);

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    RunReport report = result.report();
    assertThat(report.program()).isEqualTo(RunReport.PLAN_PROGRAM);
    assertThat(report.schemaVersionBefore()).isEqualTo("2");
    assertThat(report.history()).extracting(HistoryEntry::script, HistoryEntry::success)
        .containsExactly(tuple("V1__create_orders.sql", true), tuple("V2__seed_orders.sql", true));
    assertThat(report.pending()).as("unknown: the scripts were not read").isNull();
    assertThat(report.pendingTotal()).isNull();
    assertThat(report.scriptCount()).isNull();
    assertThat(report.findings()).as("a history without failed rows").isEmpty();
    assertThat(report.riskLevel()).as("never a silent pass").isEqualTo("high");
    assertThat(report.riskFindings()).singleElement().satisfies(finding -> {
      assertThat(finding.rule()).isEqualTo("not-analysed");
      assertThat(finding.script()).isEqualTo(IMAGE);
      assertThat(finding.line()).isNull();
      assertThat(finding.message()).isEqualTo("not analysed: image source, not opened before approval");
    });
    assertThat(report.message())
        .startsWith("scripts: in image " + IMAGE + ", not read before approval; read the database only: PostgreSQL")
        .contains("now at version 2, 2 rows in its history")
        .endsWith("; review: risk high: 1 finding (not-analysed " + IMAGE + ")");
    assertThat(result.stderr()).contains("scripts: in image " + IMAGE + ", not read before approval");
    assertThat(result.compactReport().plannedState()).isEqualTo(report.plannedState());
    assertThat(result.compactReport().riskDigest()).isEqualTo(report.riskDigest());

    // The state the approval pins is the one a plan with the scripts in hand sees, so the run checks it.
    RunReport withScripts = plan("--scripts=" + scripts, "--url=" + url, "--placeholders=" + PLACEHOLDERS).report();
    assertThat(report.plannedState()).isEqualTo(withScripts.plannedState());
    Result run = runner("--scripts=" + scripts, "--url=" + url, "--placeholders=" + PLACEHOLDERS,
        "--expected-state=" + report.plannedState());
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.report().applied()).extracting(RunReport.AppliedMigration::script)
        .containsExactly("V3__add_status.sql", "V4__add_total.sql");
  }

  @Test
  void onAnEmptyDatabaseTheImagePlanSaysSoAndCreatesNothing() throws Exception {
    String url = database().newDatabaseUrl();

    Result result = plan("--scripts-image=" + IMAGE, "--url=" + url);

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.report().historyTableExists()).isFalse();
    assertThat(result.report().message()).contains("no migration applied, no history table yet");
    assertThat(result.report().riskFindings()).extracting(RiskFinding::rule).containsExactly("not-analysed");
    assertThat(plan("--scripts-image=" + IMAGE, "--url=" + url).report().historyTableExists())
        .as("the first plan created no history table").isFalse();
  }

  @Test
  void theRunProgramRefusesAnImageItWouldHaveToOpenItself() throws Exception {
    Result result = runner("--scripts-image=" + IMAGE, "--url=" + database().newDatabaseUrl());

    assertThat(result.exitCode()).isEqualTo(Outcome.BAD_ARGUMENTS.exitCode());
    assertThat(result.report().message()).contains("--scripts-image is for the plan program only");
  }
}
