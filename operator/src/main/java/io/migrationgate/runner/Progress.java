package io.migrationgate.runner;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Human-readable progress on stderr, one prefixed line per step, so that stdout stays free for the
 * machine-readable report line. (Flyway's own lines reach stderr through the runner's logging
 * configuration, RunnerLogging.)
 */
final class Progress {

  static final String PREFIX = "migration-gate: ";

  private final PrintStream err;
  private final LongSupplier clockMillis;
  private final long startMillis;

  Progress(PrintStream err, LongSupplier clockMillis) {
    this.err = err;
    this.clockMillis = clockMillis;
    this.startMillis = clockMillis.getAsLong();
  }

  void note(String line) {
    err.println(PREFIX + OneLine.of(line));
    err.flush();
  }

  /**
   * An unprefixed line: the failure line, so that it reads exactly as the report's message, and
   * the usage text.
   */
  void bare(String message) {
    err.println(message);
    err.flush();
  }

  long elapsedMillis() {
    return clockMillis.getAsLong() - startMillis;
  }
}
