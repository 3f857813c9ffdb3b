package io.migrationgate.contract;

import static io.migrationgate.contract.RunReportTest.planned;
import static io.migrationgate.contract.RunReportTest.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migrationgate.contract.RunReport.Finding;
import io.migrationgate.contract.RunReport.VerificationResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportCompactorTest {

  private static int bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void aSmallReportIsNotTouchedByCompaction() {
    RunReport report = succeeded(3, 2).build();

    String compact = report.toCompactJson(RunReport.TERMINATION_MESSAGE_MAX_BYTES);

    assertThat(compact).isEqualTo(report.toJson());
    assertThat(RunReport.parse(compact).truncated()).isFalse();
  }

  @Test
  void fiveHundredAppliedScriptsCompactToFourKibKeepingFirstAndLastAndTheTrueTotals() {
    RunReport report = succeeded(500, 40).build();
    assertThat(bytes(report.toJson())).isGreaterThan(4096);

    String compact = report.toCompactJson(4096);

    assertThat(bytes(compact)).isLessThanOrEqualTo(4096);
    RunReport parsed = RunReport.parse(compact);
    assertThat(parsed.truncated()).isTrue();
    assertThat(parsed.appliedTotal()).isEqualTo(500);
    assertThat(parsed.verificationTotal()).isEqualTo(40);
    assertThat(parsed.applied()).hasSizeGreaterThanOrEqualTo(2).hasSizeLessThan(500);
    assertThat(parsed.applied().get(0).version()).isEqualTo("1");
    assertThat(parsed.applied().get(parsed.applied().size() - 1).version()).isEqualTo("500");
    assertThat(parsed.verification().get(parsed.verification().size() - 1).name()).isEqualTo("check 40");
    assertThat(parsed.message()).isEqualTo("applied 500 migrations");
    assertThat(report.truncated()).as("compaction works on a copy").isFalse();
  }

  @Test
  void aHugeMultiByteMessageIsShortenedToFitTheByteBudget() {
    RunReport report = succeeded(2, 0)
        .outcome(Outcome.MIGRATION_FAILED)
        .message("migration failed in V2__ünïcödé.sql: " + "€ \"quoted\" ".repeat(2000))
        .build();

    String compact = report.toCompactJson(4096);

    assertThat(bytes(compact)).isLessThanOrEqualTo(4096);
    RunReport parsed = RunReport.parse(compact);
    assertThat(parsed.message()).startsWith("migration failed in V2__ünïcödé.sql: €").endsWith("...");
    assertThat(parsed.applied()).as("two entries fit once the message is short").hasSize(2);
    assertThat(parsed.truncated()).isTrue();
  }

  @Test
  void longTextInsideEntriesIsShortenedBeforeEntriesAreDropped() {
    RunReport report = succeeded(1, 0)
        .verification(List.of(new VerificationResult("big", false, "x".repeat(9000), "1", null))).build();

    RunReport parsed = RunReport.parse(report.toCompactJson(4096));

    assertThat(parsed.verification()).hasSize(1);
    assertThat(parsed.verification().get(0).actual()).hasSize(200).endsWith("...");
  }

  @Test
  void refusesABudgetTooSmallForEvenTheSkeleton() {
    assertThatThrownBy(() -> succeeded(1, 0).build().toCompactJson(50))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 50 bytes");
  }

  @Test
  void aLongPlanKeepsItsStateTotalsAndTheEndsOfEveryList() {
    List<Finding> findings = new ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      findings.add(new Finding(Finding.CHECKSUM_DRIFT, Integer.toString(i), "V" + i + "__step_number_" + i + ".sql",
          "checksum differs: " + "x".repeat(500)));
    }
    RunReport report = planned(300, 200, findings.toArray(Finding[]::new)).build();

    String compact = report.toCompactJson(4096);

    assertThat(bytes(compact)).isLessThanOrEqualTo(4096);
    RunReport parsed = RunReport.parse(compact);
    assertThat(parsed.truncated()).isTrue();
    assertThat(parsed.program()).isEqualTo("plan");
    assertThat(parsed.plannedState()).isEqualTo(report.plannedState());
    assertThat(parsed.historyTableExists()).isTrue();
    assertThat(parsed.historyTotal()).isEqualTo(300);
    assertThat(parsed.pendingTotal()).isEqualTo(200);
    assertThat(parsed.findingsTotal()).isEqualTo(60);
    assertThat(parsed.pending()).hasSizeGreaterThanOrEqualTo(2).hasSizeLessThan(200);
    assertThat(parsed.pending().get(0).script()).isEqualTo("V301__step_number_301.sql");
    assertThat(parsed.pending().get(parsed.pending().size() - 1).script()).isEqualTo("V500__step_number_500.sql");
    assertThat(parsed.findings().get(parsed.findings().size() - 1).version()).isEqualTo("60");
    assertThat(parsed.findings().get(0).message()).hasSize(200).endsWith("...");
    assertThat(parsed.history().get(parsed.history().size() - 1).version()).isEqualTo("300");
  }

  @Test
  void aLongReviewKeepsItsLevelDigestTotalAndTheEndsOfItsFindings() {
    List<RunReport.RiskFinding> review = new ArrayList<>();
    for (int i = 1; i <= 80; i++) {
      review.add(new RunReport.RiskFinding("update-without-where", "destructive", "V" + i + "__step_number_" + i + ".sql",
          i, "updates every row of orders " + "y".repeat(400) + "; orders holds ~41 M rows, 9.0 GiB", "add a WHERE clause",
          null));
    }
    RunReport report = planned(3, 80).risk(RiskLevel.DESTRUCTIVE, "sha256:" + "3".repeat(64), review).build();

    RunReport parsed = RunReport.parse(report.toCompactJson(4096));

    assertThat(parsed.truncated()).isTrue();
    assertThat(parsed.riskLevel()).isEqualTo("destructive");
    assertThat(parsed.riskDigest()).isEqualTo("sha256:" + "3".repeat(64));
    assertThat(parsed.riskFindingsTotal()).isEqualTo(80);
    assertThat(parsed.riskFindings()).hasSizeGreaterThanOrEqualTo(2).hasSizeLessThan(80);
    assertThat(parsed.riskFindings().get(0).line()).isEqualTo(1);
    assertThat(parsed.riskFindings().get(0).message()).as("what the data checks added at the end is kept")
        .hasSize(200).startsWith("updates every row of orders yyy").contains("yyy...yyy")
        .endsWith("; orders holds ~41 M rows, 9.0 GiB");
    assertThat(parsed.riskFindings().get(parsed.riskFindings().size() - 1).line()).isEqualTo(80);
  }

  @Test
  void aPlanTooLongForAnyListKeepsItsStateAndTotalsWithEmptyLists() {
    RunReport report = planned(3, 2).message("m".repeat(5000)).build();

    RunReport parsed = RunReport.parse(report.toCompactJson(1000));

    assertThat(parsed.truncated()).isTrue();
    assertThat(parsed.history()).isEmpty();
    assertThat(parsed.pending()).isEmpty();
    assertThat(parsed.historyTotal()).isEqualTo(3);
    assertThat(parsed.pendingTotal()).isEqualTo(2);
    assertThat(parsed.findingsTotal()).isZero();
    assertThat(parsed.plannedState()).isEqualTo(report.plannedState());
  }

  @Test
  void aShortenedRunReportStillCarriesNoPlanLists() {
    RunReport parsed = RunReport.parse(succeeded(500, 40).build().toCompactJson(4096));

    assertThat(parsed.truncated()).isTrue();
    assertThat(parsed.history()).isNull();
    assertThat(parsed.pending()).isNull();
    assertThat(parsed.findings()).isNull();
  }

  @Test
  void keepsTheFirstEntriesAndTheLastOne() {
    assertThat(ReportCompactor.firstAndLast(List.of(1, 2, 3, 4, 5), 3)).containsExactly(1, 2, 5);
    assertThat(ReportCompactor.firstAndLast(List.of(1, 2, 3, 4, 5), 2)).containsExactly(1, 5);
    assertThat(ReportCompactor.firstAndLast(List.of(1, 2), 5)).containsExactly(1, 2);
  }
}
