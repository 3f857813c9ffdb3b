package io.migrationgate.contract;

/**
 * The one table of how a run can end: each outcome with the runner's exit code and the condition
 * reason the operator sets on the request. People reading {@code kubectl get pod} tell failures
 * apart by the exit code alone, and alerts match the reason, so neither is ever renumbered or
 * renamed (docs/runner.md, docs/evidence.md).
 */
public enum Outcome {
  SUCCEEDED(0, "MigrationSucceeded"),
  BAD_ARGUMENTS(2, "RunnerArgumentsRefused"),
  DIGEST_MISMATCH(10, "SnapshotDigestMismatch"),
  CONNECTION_FAILED(11, "DatabaseUnreachable"),
  VALIDATION_FAILED(12, "ValidationFailed"),
  MIGRATION_FAILED(13, "MigrationFailed"),
  VERIFICATION_FAILED(14, "VerificationFailed"),
  PLAN_STALE(15, "PlanStale"),
  CREDENTIALS_REFUSED(16, "DatabaseCredentialsRefused"),
  DATA_CHECK_FAILED(17, "DataCheckFailed");

  private final int exitCode;
  private final String conditionReason;

  Outcome(int exitCode, String conditionReason) {
    this.exitCode = exitCode;
    this.conditionReason = conditionReason;
  }

  public int exitCode() {
    return exitCode;
  }

  /** The reason of the request's condition when its run ends this way. */
  public String conditionReason() {
    return conditionReason;
  }

  public boolean succeeded() {
    return this == SUCCEEDED;
  }
}
