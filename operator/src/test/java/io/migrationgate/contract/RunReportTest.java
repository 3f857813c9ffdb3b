package io.migrationgate.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.migrationgate.contract.RunReport.AppliedMigration;
import io.migrationgate.contract.RunReport.Finding;
import io.migrationgate.contract.RunReport.HistoryEntry;
import io.migrationgate.contract.RunReport.PendingMigration;
import io.migrationgate.contract.RunReport.VerificationResult;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunReportTest {

  /** A successful run's report, still open for a test to change before {@code build()}. */
  static RunReport.Builder succeeded(int appliedCount, int verificationCount) {
    List<AppliedMigration> applied = new ArrayList<>();
    for (int i = 1; i <= appliedCount; i++) {
      applied.add(new AppliedMigration(Integer.toString(i), "step number " + i, "V" + i + "__step_number_" + i + ".sql", i));
    }
    List<VerificationResult> verification = new ArrayList<>();
    for (int i = 1; i <= verificationCount; i++) {
      verification.add(new VerificationResult("check " + i, true, "1", "1", null));
    }
    return RunReport.builder()
        .outcome(Outcome.SUCCEEDED)
        .message("applied " + appliedCount + " migrations")
        .scriptsDigest("sha256:" + "0".repeat(64))
        .expectedDigest("sha256:" + "0".repeat(64))
        .scriptCount(appliedCount)
        .target("latest")
        .flywayVersion("13.12.1")
        .databaseProduct("PostgreSQL")
        .databaseVersion("17.6")
        .schemaVersionBefore(null)
        .schemaVersionAfter(Integer.toString(appliedCount))
        .applied(applied)
        .verification(verification)
        .startedAt("2026-11-25T16:00:00.000Z")
        .finishedAt("2026-11-25T16:00:01.250Z");
  }

  /** A plan's report: {@code applied} scripts in the history, {@code pending} more, the findings given. */
  static RunReport.Builder planned(int applied, int pending, Finding... findings) {
    List<HistoryEntry> history = new ArrayList<>();
    for (int i = 1; i <= applied; i++) {
      history.add(new HistoryEntry(Integer.toString(i), "step number " + i, "V" + i + "__step_number_" + i + ".sql", 1000 + i, true));
    }
    List<PendingMigration> pendingScripts = new ArrayList<>();
    for (int i = applied + 1; i <= applied + pending; i++) {
      pendingScripts.add(new PendingMigration(Integer.toString(i), "step number " + i, "V" + i + "__step_number_" + i + ".sql", 1000 + i));
    }
    String current = applied == 0 ? null : Integer.toString(applied);
    return RunReport.builder()
        .program(RunReport.PLAN_PROGRAM)
        .outcome(Outcome.SUCCEEDED)
        .message(pending + " pending")
        .scriptsDigest("sha256:" + "0".repeat(64))
        .scriptCount(applied + pending)
        .target("latest")
        .databaseProduct("PostgreSQL")
        .databaseVersion("17.6")
        .historyTableExists(applied > 0)
        .plannedState(PlannedState.of(current, history).toString())
        .schemaVersionBefore(current)
        .history(history)
        .pending(pendingScripts)
        .findings(List.of(findings));
  }

  @Test
  void aPlanReportWritesItsPartsUnderTheAgreedNames() {
    RunReport report = planned(1, 1, new Finding(Finding.CHECKSUM_DRIFT, "1", "V1__step_number_1.sql", "changed")).build();

    String json = report.toJson();

    assertThat(json).startsWith("{\"reportVersion\":1,\"program\":\"plan\",\"outcome\":\"SUCCEEDED\"")
        .contains("\"historyTableExists\":true", "\"plannedState\":\"version=1;history=sha256:",
            "\"historyTotal\":1",
            "\"history\":[{\"version\":\"1\",\"description\":\"step number 1\",\"script\":\"V1__step_number_1.sql\",\"checksum\":1001,\"success\":true}]",
            "\"pendingTotal\":1",
            "\"pending\":[{\"version\":\"2\",\"description\":\"step number 2\",\"script\":\"V2__step_number_2.sql\",\"checksum\":1002}]",
            "\"findingsTotal\":1",
            "\"findings\":[{\"kind\":\"CHECKSUM_DRIFT\",\"version\":\"1\",\"script\":\"V1__step_number_1.sql\",\"message\":\"changed\"}]");
    assertThat(RunReport.parse(json)).isEqualTo(report);
  }

  @Test
  void aRunReportCarriesNoneOfThePlanFields() {
    String json = succeeded(2, 1).build().toJson();

    assertThat(json).doesNotContain("program", "historyTableExists", "plannedState", "history", "pending", "findings");
    RunReport parsed = RunReport.parse(json);
    assertThat(parsed.history()).isNull();
    assertThat(parsed.pendingTotal()).isNull();
  }

  @Test
  void anEmptyPlanListIsWrittenWithItsZeroTotal() {
    String json = planned(3, 0).build().toJson();

    assertThat(json).contains("\"pendingTotal\":0,\"pending\":[]", "\"findingsTotal\":0,\"findings\":[]");
  }

  @Test
  void writesTheFieldNamesTheOperatorReads() {
    RunReport report = succeeded(1, 1)
        .verification(List.of(new VerificationResult("c", false, "0", "1", "boom"))).build();

    String json = report.toJson();

    assertThat(json)
        .contains("\"reportVersion\":1", "\"outcome\":\"SUCCEEDED\"", "\"exitCode\":0", "\"message\":",
            "\"scriptsDigest\":", "\"expectedDigest\":", "\"scriptCount\":1", "\"target\":\"latest\"",
            "\"flywayVersion\":\"13.12.1\"", "\"databaseProduct\":\"PostgreSQL\"",
            "\"databaseVersion\":\"17.6\"", "\"schemaVersionAfter\":\"1\"", "\"appliedTotal\":1",
            "\"applied\":[{\"version\":\"1\",\"description\":\"step number 1\",\"script\":\"V1__step_number_1.sql\",\"executionTimeMs\":1}]",
            "\"verificationTotal\":1",
            "\"verification\":[{\"name\":\"c\",\"passed\":false,\"actual\":\"0\",\"expected\":\"1\",\"error\":\"boom\"}]",
            "\"startedAt\":\"2026-11-25T16:00:00.000Z\"", "\"finishedAt\":", "\"truncated\":false");
    assertThat(json).as("absent before-version is left out, not written as null").doesNotContain("schemaVersionBefore");
  }

  @Test
  void theFullReportIsOneLineAndParsesBackToTheSameContent() {
    RunReport report = succeeded(3, 2).message("first line\nsecond line").build();

    String json = report.toJson();
    RunReport parsed = RunReport.parse(json);

    assertThat(json).doesNotContain("\n");
    assertThat(parsed.message()).isEqualTo("first line\nsecond line");
    assertThat(parsed.applied()).isEqualTo(report.applied());
    assertThat(parsed.verification()).isEqualTo(report.verification());
    assertThat(parsed.appliedTotal()).isEqualTo(3);
    assertThat(parsed.verificationTotal()).isEqualTo(2);
    assertThat(parsed.toJson()).isEqualTo(json);
  }

  @Test
  void everyFieldIsWrittenInTheRecordsOrderAndReadBack() throws Exception {
    RunReport full = planned(2, 1, new Finding(Finding.FAILED, "2", "V2__step_number_2.sql", "failed \"row\"\n"))
        .expectedDigest("sha256:" + "1".repeat(64))
        .flywayVersion("13.12.1")
        .schemaVersionAfter("3")
        .applied(List.of(new AppliedMigration("3", "step number 3", "V3__step_number_3.sql", 7)))
        .verification(List.of(new VerificationResult("c", false, null, "null", "boom")))
        .risk(RiskLevel.HIGH, "sha256:" + "2".repeat(64), List.of(
            new RunReport.RiskFinding("drop-table", "destructive", "V3__step_number_3.sql", 4, "drops table \"a\"\n",
                "rename it aside first", "emptied by V2"),
            new RunReport.RiskFinding("pg-set-not-null", "high", "V3__step_number_3.sql", 5, "scans", "check first", null)))
        .startedAt("2026-11-25T16:00:00.000Z")
        .finishedAt("2026-11-25T16:00:01.250Z")
        .build();
    RunReport report = full.truncatedTo("m\u00e9ssage", full.lists());

    String json = report.toJson();

    List<String> written = new ArrayList<>();
    try (JsonParser parser = new JsonFactory().createParser(json)) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        written.add(parser.currentName());
        parser.nextToken();
        parser.skipChildren();
      }
    }
    assertThat(written).containsExactly(
        Arrays.stream(RunReport.class.getRecordComponents()).map(RecordComponent::getName).toArray(String[]::new));
    assertThat(RunReport.parse(json)).isEqualTo(report);
  }

  @Test
  void findsTheReportOnlyOnTheMarkedStdoutLine() {
    String line = RunReport.STDOUT_MARKER + succeeded(1, 0).build().toJson();

    assertThat(RunReport.fromStdoutLine(line)).hasValueSatisfying(r -> assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED));
    assertThat(RunReport.fromStdoutLine("Migrating schema \"public\" to version 1")).isEmpty();
  }

  @Test
  void rejectsMalformedInputWithAMessageThatSaysWhatIsWrong() {
    assertThatThrownBy(() -> RunReport.parse("")).isInstanceOf(RunReport.MalformedReportException.class).hasMessage("run report is empty");
    assertThatThrownBy(() -> RunReport.parse("{\"outcome\":")).hasMessageStartingWith("run report is not valid JSON");
    assertThatThrownBy(() -> RunReport.parse("[1,2]")).hasMessage("run report must be a JSON object, got array");
    assertThatThrownBy(() -> RunReport.parse("{\"exitCode\":0}")).hasMessage("run report has no \"outcome\"");
    assertThatThrownBy(() -> RunReport.parse("{\"outcome\":\"SUCCEEDED\"}")).hasMessage("run report has no \"exitCode\"");
    assertThatThrownBy(() -> RunReport.parse("{\"outcome\":\"EXPLODED\",\"exitCode\":0}"))
        .hasMessageStartingWith("run report does not match the report schema");
    assertThatThrownBy(() -> RunReport.parse("{\"outcome\":\"SUCCEEDED\",\"exitCode\":0} trailing"))
        .isInstanceOf(RunReport.MalformedReportException.class);
  }

  @Test
  void ignoresFieldsANewerRunnerMayAdd() {
    RunReport parsed = RunReport.parse("{\"outcome\":\"SUCCEEDED\",\"exitCode\":0,\"futureField\":{\"x\":1}}");

    assertThat(parsed.outcome()).isEqualTo(Outcome.SUCCEEDED);
  }
}
