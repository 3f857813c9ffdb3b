package io.migrationgate.runner;

import java.io.PrintStream;
import java.util.function.LongSupplier;
import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;

/**
 * Human-readable progress on stderr, one prefixed line per step, so that stdout stays free for the
 * machine-readable report line. Flyway's own log lines are routed here too.
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

  /** The failure line: printed bare so it reads the same on stderr as in the report message. */
  void failure(String message) {
    err.println(message);
    err.flush();
  }

  long elapsedMillis() {
    return clockMillis.getAsLong() - startMillis;
  }

  LogCreator flywayLogs() {
    return type ->
        new Log() {
          @Override
          public boolean isDebugEnabled() {
            return false;
          }

          @Override
          public void debug(String message) {}

          @Override
          public void info(String message) {
            note("flyway: " + message);
          }

          @Override
          public void warn(String message) {
            note("flyway warning: " + message);
          }

          @Override
          public void error(String message) {
            note("flyway error: " + message);
          }

          @Override
          public void error(String message, Exception e) {
            note("flyway error: " + message);
          }

          @Override
          public void notice(String message) {
            note("flyway: " + message);
          }
        };
  }
}
