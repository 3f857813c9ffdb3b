package io.migrationgate.runner;

/**
 * Ends a run early with a known exit code. Its message is the one line a person reads first (on
 * stderr and in the report), so it must say what failed and what the database or file said.
 */
final class RunnerFailure extends Exception {

  private final ExitCode exitCode;

  RunnerFailure(ExitCode exitCode, String message) {
    super(OneLine.of(message));
    this.exitCode = exitCode;
  }

  RunnerFailure(ExitCode exitCode, String message, Throwable cause) {
    super(OneLine.of(message), cause);
    this.exitCode = exitCode;
  }

  ExitCode exitCode() {
    return exitCode;
  }
}
