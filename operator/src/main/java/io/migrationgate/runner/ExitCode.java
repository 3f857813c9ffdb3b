package io.migrationgate.runner;

import io.migrationgate.contract.RunReport.Outcome;

/**
 * The runner's exit codes, one per outcome. The operator and people reading {@code kubectl get pod}
 * tell failures apart by these numbers alone, so they are part of the contract (docs/runner.md) and
 * must never be renumbered.
 */
public enum ExitCode {
  SUCCEEDED(0, Outcome.SUCCEEDED),
  BAD_ARGUMENTS(2, Outcome.BAD_ARGUMENTS),
  DIGEST_MISMATCH(10, Outcome.DIGEST_MISMATCH),
  CONNECTION_FAILED(11, Outcome.CONNECTION_FAILED),
  VALIDATION_FAILED(12, Outcome.VALIDATION_FAILED),
  MIGRATION_FAILED(13, Outcome.MIGRATION_FAILED),
  VERIFICATION_FAILED(14, Outcome.VERIFICATION_FAILED);

  private final int code;
  private final Outcome outcome;

  ExitCode(int code, Outcome outcome) {
    this.code = code;
    this.outcome = outcome;
  }

  public int code() {
    return code;
  }

  public Outcome outcome() {
    return outcome;
  }
}
