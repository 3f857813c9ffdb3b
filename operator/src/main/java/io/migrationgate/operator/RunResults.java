package io.migrationgate.operator;

import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.ResultStatus;
import io.migrationgate.contract.RunReport;
import java.util.Map;
import java.util.Optional;

/**
 * Turns what the runner left in its termination message into {@code status.result}. The runner
 * writes its compact report there; anything else (a crash, FallbackToLogsOnError's log tail, a
 * pod killed at its deadline) still gives the exit code and the last line, so a request never
 * ends without an explanation.
 */
public final class RunResults {

  private static final int MAX_MESSAGE = 1024;

  /** The condition reason for each way the runner can fail; each is searchable in docs/evidence.md. */
  private static final Map<RunReport.Outcome, String> FAILURE_REASONS = Map.of(
      RunReport.Outcome.DIGEST_MISMATCH, Reason.SNAPSHOT_DIGEST_MISMATCH,
      RunReport.Outcome.CONNECTION_FAILED, Reason.DATABASE_UNREACHABLE,
      RunReport.Outcome.VALIDATION_FAILED, Reason.VALIDATION_FAILED,
      RunReport.Outcome.MIGRATION_FAILED, Reason.MIGRATION_FAILED,
      RunReport.Outcome.VERIFICATION_FAILED, Reason.VERIFICATION_FAILED,
      RunReport.Outcome.BAD_ARGUMENTS, Reason.RUNNER_ARGUMENTS_REFUSED);

  private RunResults() {}

  public static ResultStatus from(JobObservation observation) {
    Optional<RunReport> report = report(observation.terminationMessage());
    ResultStatus result = report.map(RunResults::result).orElseGet(ResultStatus::new);
    if (report.isEmpty()) {
      String text = observation.terminationMessage();
      result.message = text == null || text.isBlank()
          ? "the runner left no report (" + observation.message() + ")"
          : "the runner left no report; its last output: " + lastLine(text);
    }
    if (result.exitCode == null) {
      result.exitCode = observation.exitCode();
    }
    return result;
  }

  /** Why a finished Job failed: the runner's own outcome when it reported one, else what Kubernetes said. */
  public static String failureReason(ResultStatus result, JobObservation observation) {
    if (result.outcome != null) {
      try {
        return FAILURE_REASONS.getOrDefault(RunReport.Outcome.valueOf(result.outcome), observation.reason());
      } catch (IllegalArgumentException newerRunner) {
        return observation.reason();
      }
    }
    return Reason.JOB_FAILED.equals(observation.reason()) ? Reason.REPORT_MISSING : observation.reason();
  }

  private static Optional<RunReport> report(String terminationMessage) {
    if (terminationMessage == null || !terminationMessage.strip().startsWith("{")) {
      return Optional.empty();
    }
    try {
      return Optional.of(RunReport.parse(terminationMessage.strip()));
    } catch (RunReport.MalformedReportException e) {
      return Optional.empty();
    }
  }

  private static ResultStatus result(RunReport report) {
    ResultStatus result = new ResultStatus();
    result.outcome = report.getOutcome() == null ? null : report.getOutcome().name();
    result.exitCode = report.getExitCode();
    result.message = report.getMessage();
    result.flywayVersion = report.getFlywayVersion();
    result.schemaVersionBefore = report.getSchemaVersionBefore();
    result.schemaVersionAfter = report.getSchemaVersionAfter();
    result.appliedTotal = report.getAppliedTotal();
    for (RunReport.AppliedMigration applied : report.getApplied()) {
      ResultStatus.AppliedMigration entry = new ResultStatus.AppliedMigration();
      entry.version = applied.getVersion();
      entry.description = applied.getDescription();
      entry.script = applied.getScript();
      entry.executionTimeMs = applied.getExecutionTimeMs();
      result.applied.add(entry);
    }
    for (RunReport.VerificationResult verified : report.getVerification()) {
      ResultStatus.VerificationResult entry = new ResultStatus.VerificationResult();
      entry.name = verified.getName();
      entry.passed = verified.isPassed();
      entry.actual = verified.getActual();
      result.verification.add(entry);
    }
    return result;
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    String last = lines[lines.length - 1].strip();
    return last.length() <= MAX_MESSAGE ? last : last.substring(0, MAX_MESSAGE) + "...";
  }
}
