package io.migrationgate.runner;

import io.migrationgate.contract.Outcome;

/**
 * Ends a run early with a known outcome, and so a known exit code. Its message is the one line a
 * person reads first (on stderr and in the report), so it must say what failed and what the
 * database or file said.
 */
final class RunnerFailure extends Exception {

  private final Outcome outcome;

  RunnerFailure(Outcome outcome, String message) {
    super(OneLine.of(message));
    this.outcome = outcome;
  }

  RunnerFailure(Outcome outcome, String message, Throwable cause) {
    super(OneLine.of(message), cause);
    this.outcome = outcome;
  }

  Outcome outcome() {
    return outcome;
  }
}
