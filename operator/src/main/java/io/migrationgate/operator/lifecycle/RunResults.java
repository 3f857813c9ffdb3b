package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.ResultStatus;
import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.RunReport;
import java.util.Optional;

/**
 * Turns what the runner left in its termination message into {@code status.result}. The runner
 * writes its compact report there; anything else (a crash, FallbackToLogsOnError's log tail, a
 * pod killed at its deadline) still gives the exit code and the last line, so a request never
 * ends without an explanation.
 */
public final class RunResults {

  private RunResults() {}

  /**
   * The runner's message (or its last line of output) becomes the status's message, and from there
   * the conditions, Events and evidence, unchanged: the runner is the one place that keeps credentials
   * out of what it writes (ConnectionFailures), since the operator never reads a Secret.
   */
  public static ResultStatus from(JobObservation observation) {
    Optional<RunReport> report = report(observation.terminationMessage());
    ResultStatus result = report.map(RunResults::result).orElseGet(ResultStatus::new);
    if (report.isEmpty()) {
      String text = observation.terminationMessage();
      result.message = StatusMessages.clipped(text == null || text.isBlank()
          ? "the runner left no report (" + observation.message() + ")"
          : "the runner left no report; its last output: " + lastLine(text));
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
        Outcome outcome = Outcome.valueOf(result.outcome);
        return outcome.succeeded() ? observation.reason() : outcome.conditionReason();
      } catch (IllegalArgumentException newerRunner) {
        return observation.reason();
      }
    }
    return Reason.JOB_FAILED.equals(observation.reason()) ? Reason.REPORT_MISSING : observation.reason();
  }

  /** The runner's report in a pod's termination message; empty for its log tail or anything unreadable. */
  static Optional<RunReport> report(String terminationMessage) {
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
    result.outcome = report.outcome() == null ? null : report.outcome().name();
    result.exitCode = report.exitCode();
    result.message = report.message();
    result.flywayVersion = report.flywayVersion();
    result.schemaVersionBefore = report.schemaVersionBefore();
    result.schemaVersionAfter = report.schemaVersionAfter();
    result.appliedTotal = report.appliedTotal();
    for (RunReport.AppliedMigration applied : report.applied()) {
      ResultStatus.AppliedMigration entry = new ResultStatus.AppliedMigration();
      entry.version = applied.version();
      entry.description = applied.description();
      entry.script = applied.script();
      entry.executionTimeMs = applied.executionTimeMs();
      result.applied.add(entry);
    }
    for (RunReport.VerificationResult verified : report.verification()) {
      ResultStatus.VerificationResult entry = new ResultStatus.VerificationResult();
      entry.name = verified.name();
      entry.passed = verified.passed();
      entry.actual = verified.actual();
      result.verification.add(entry);
    }
    return result;
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1].strip();
  }
}
