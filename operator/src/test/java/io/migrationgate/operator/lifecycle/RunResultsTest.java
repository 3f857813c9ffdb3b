package io.migrationgate.operator.lifecycle;

import io.migrationgate.operator.Reports;
import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.ResultStatus;
import io.migrationgate.contract.Outcome;
import io.migrationgate.operator.lifecycle.JobObservation.State;
import org.junit.jupiter.api.Test;

class RunResultsTest {

  private static JobObservation failed(String reason, Integer exitCode, String terminationMessage) {
    return new JobObservation(State.FAILED, reason, "Job orders-run failed", null, null, "orders-run-x", exitCode, terminationMessage);
  }

  @Test
  void eachRunnerOutcomeHasItsOwnReason() {
    for (var expected : java.util.Map.of(
        Outcome.DIGEST_MISMATCH, Reason.SNAPSHOT_DIGEST_MISMATCH,
        Outcome.CONNECTION_FAILED, Reason.DATABASE_UNREACHABLE,
        Outcome.CREDENTIALS_REFUSED, Reason.CREDENTIALS_REFUSED,
        Outcome.VALIDATION_FAILED, Reason.VALIDATION_FAILED,
        Outcome.MIGRATION_FAILED, Reason.MIGRATION_FAILED,
        Outcome.VERIFICATION_FAILED, Reason.VERIFICATION_FAILED,
        Outcome.DATA_CHECK_FAILED, Reason.DATA_CHECK_FAILED,
        Outcome.BAD_ARGUMENTS, Reason.RUNNER_ARGUMENTS_REFUSED).entrySet()) {
      JobObservation seen = failed(Reason.JOB_FAILED, 13, Reports.compact(expected.getKey(), "why", "1", 1));
      assertThat(RunResults.failureReason(RunResults.from(seen), seen)).as(expected.getKey().name()).isEqualTo(expected.getValue());
    }
  }

  @Test
  void reportFieldsBecomeTheResult() {
    JobObservation seen = failed(Reason.JOB_FAILED, 13, Reports.compact(Outcome.MIGRATION_FAILED,
        "V2__b.sql line 3: relation \"x\" does not exist", "1", 1));
    ResultStatus result = RunResults.from(seen);
    assertThat(result.outcome).isEqualTo("MIGRATION_FAILED");
    assertThat(result.exitCode).isEqualTo(13);
    assertThat(result.message).contains("V2__b.sql line 3");
    assertThat(result.flywayVersion).isEqualTo("13.12.1");
    assertThat(result.appliedTotal).isEqualTo(1);
    assertThat(result.applied).extracting(a -> a.version).containsExactly("1");
  }

  @Test
  void noReportKeepsTheExitCodeAndTheLastLogLine() {
    JobObservation seen = failed(Reason.JOB_FAILED, 137, "starting\nKilled");
    ResultStatus result = RunResults.from(seen);
    assertThat(result.exitCode).isEqualTo(137);
    assertThat(result.message).isEqualTo("the runner left no report; its last output: Killed");
    assertThat(RunResults.failureReason(result, seen)).isEqualTo(Reason.REPORT_MISSING);
  }

  @Test
  void aHugeLastLineIsClippedLikeEveryStatusMessage() {
    ResultStatus result = RunResults.from(failed(Reason.JOB_FAILED, 1, "starting\n" + "x".repeat(4000)));
    assertThat(result.message).hasSize(StatusMessages.MAX_LENGTH).startsWith("the runner left no report").endsWith("...");
  }

  @Test
  void truncatedJsonIsTreatedAsNoReport() {
    JobObservation seen = failed(Reason.JOB_FAILED, 13, "{\"outcome\":\"MIGRATION_FAI");
    assertThat(RunResults.from(seen).message).startsWith("the runner left no report");
  }

  @Test
  void aDeadlineKeepsItsOwnReasonWhenTheRunnerWasKilledBeforeReporting() {
    JobObservation seen = failed(Reason.DEADLINE_EXCEEDED, null, null);
    ResultStatus result = RunResults.from(seen);
    assertThat(RunResults.failureReason(result, seen)).isEqualTo(Reason.DEADLINE_EXCEEDED);
    assertThat(result.message).contains("no report", "Job orders-run failed");
  }
}
