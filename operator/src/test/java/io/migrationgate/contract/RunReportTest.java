package io.migrationgate.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migrationgate.contract.RunReport.AppliedMigration;
import io.migrationgate.contract.RunReport.Outcome;
import io.migrationgate.contract.RunReport.VerificationResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunReportTest {

  private static RunReport succeeded(int appliedCount, int verificationCount) {
    RunReport report = new RunReport();
    report.setOutcome(Outcome.SUCCEEDED);
    report.setExitCode(0);
    report.setMessage("applied " + appliedCount + " migrations");
    report.setScriptsDigest("sha256:" + "0".repeat(64));
    report.setExpectedDigest("sha256:" + "0".repeat(64));
    report.setScriptCount(appliedCount);
    report.setTarget("latest");
    report.setFlywayVersion("13.12.1");
    report.setDatabaseProduct("PostgreSQL");
    report.setDatabaseVersion("17.6");
    report.setSchemaVersionBefore(null);
    report.setSchemaVersionAfter(Integer.toString(appliedCount));
    List<AppliedMigration> applied = new ArrayList<>();
    for (int i = 1; i <= appliedCount; i++) {
      applied.add(new AppliedMigration(Integer.toString(i), "step number " + i, "V" + i + "__step_number_" + i + ".sql", i));
    }
    report.setApplied(applied);
    List<VerificationResult> verification = new ArrayList<>();
    for (int i = 1; i <= verificationCount; i++) {
      verification.add(new VerificationResult("check " + i, true, "1", "1", null));
    }
    report.setVerification(verification);
    report.setStartedAt("2026-11-25T16:00:00.000Z");
    report.setFinishedAt("2026-11-25T16:00:01.250Z");
    return report;
  }

  private static int bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void writesTheFieldNamesTheOperatorReads() {
    RunReport report = succeeded(1, 1);
    report.setVerification(List.of(new VerificationResult("c", false, "0", "1", "boom")));

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
    RunReport report = succeeded(3, 2);
    report.setMessage("first line\nsecond line");

    String json = report.toJson();
    RunReport parsed = RunReport.parse(json);

    assertThat(json).doesNotContain("\n");
    assertThat(parsed.getMessage()).isEqualTo("first line\nsecond line");
    assertThat(parsed.getApplied()).isEqualTo(report.getApplied());
    assertThat(parsed.getVerification()).isEqualTo(report.getVerification());
    assertThat(parsed.getAppliedTotal()).isEqualTo(3);
    assertThat(parsed.getVerificationTotal()).isEqualTo(2);
    assertThat(parsed.toJson()).isEqualTo(json);
  }

  @Test
  void findsTheReportOnlyOnTheMarkedStdoutLine() {
    String line = RunReport.STDOUT_MARKER + succeeded(1, 0).toJson();

    assertThat(RunReport.fromStdoutLine(line)).hasValueSatisfying(r -> assertThat(r.getOutcome()).isEqualTo(Outcome.SUCCEEDED));
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

    assertThat(parsed.getOutcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void aSmallReportIsNotTouchedByCompaction() {
    RunReport report = succeeded(3, 2);

    String compact = report.toCompactJson(RunReport.TERMINATION_MESSAGE_MAX_BYTES);

    assertThat(compact).isEqualTo(report.toJson());
    assertThat(RunReport.parse(compact).isTruncated()).isFalse();
  }

  @Test
  void fiveHundredAppliedScriptsCompactToFourKibKeepingFirstAndLastAndTheTrueTotals() {
    RunReport report = succeeded(500, 40);
    assertThat(bytes(report.toJson())).isGreaterThan(4096);

    String compact = report.toCompactJson(4096);

    assertThat(bytes(compact)).isLessThanOrEqualTo(4096);
    RunReport parsed = RunReport.parse(compact);
    assertThat(parsed.isTruncated()).isTrue();
    assertThat(parsed.getAppliedTotal()).isEqualTo(500);
    assertThat(parsed.getVerificationTotal()).isEqualTo(40);
    assertThat(parsed.getApplied()).hasSizeGreaterThanOrEqualTo(2).hasSizeLessThan(500);
    assertThat(parsed.getApplied().get(0).getVersion()).isEqualTo("1");
    assertThat(parsed.getApplied().get(parsed.getApplied().size() - 1).getVersion()).isEqualTo("500");
    assertThat(parsed.getVerification().get(parsed.getVerification().size() - 1).getName()).isEqualTo("check 40");
    assertThat(parsed.getMessage()).isEqualTo("applied 500 migrations");
    assertThat(report.isTruncated()).as("compaction works on a copy").isFalse();
  }

  @Test
  void aHugeMultiByteMessageIsShortenedToFitTheByteBudget() {
    RunReport report = succeeded(2, 0);
    report.setOutcome(Outcome.MIGRATION_FAILED);
    report.setExitCode(13);
    report.setMessage("migration failed in V2__ünïcödé.sql: " + "€ \"quoted\" ".repeat(2000));

    String compact = report.toCompactJson(4096);

    assertThat(bytes(compact)).isLessThanOrEqualTo(4096);
    RunReport parsed = RunReport.parse(compact);
    assertThat(parsed.getMessage()).startsWith("migration failed in V2__ünïcödé.sql: €").endsWith("...");
    assertThat(parsed.getApplied()).as("two entries fit once the message is short").hasSize(2);
    assertThat(parsed.isTruncated()).isTrue();
  }

  @Test
  void longTextInsideEntriesIsShortenedBeforeEntriesAreDropped() {
    RunReport report = succeeded(1, 0);
    report.setVerification(List.of(new VerificationResult("big", false, "x".repeat(9000), "1", null)));

    RunReport parsed = RunReport.parse(report.toCompactJson(4096));

    assertThat(parsed.getVerification()).hasSize(1);
    assertThat(parsed.getVerification().get(0).getActual()).hasSize(200).endsWith("...");
  }

  @Test
  void refusesABudgetTooSmallForEvenTheSkeleton() {
    assertThatThrownBy(() -> succeeded(1, 0).toCompactJson(50))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 50 bytes");
  }

  @Test
  void keepsTheFirstEntriesAndTheLastOne() {
    assertThat(RunReport.firstAndLast(List.of(1, 2, 3, 4, 5), 3)).containsExactly(1, 2, 5);
    assertThat(RunReport.firstAndLast(List.of(1, 2, 3, 4, 5), 2)).containsExactly(1, 5);
    assertThat(RunReport.firstAndLast(List.of(1, 2), 5)).containsExactly(1, 2);
  }
}
