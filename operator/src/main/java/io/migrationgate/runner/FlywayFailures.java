package io.migrationgate.runner;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Collection;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException;

/**
 * What Flyway's failures say, rewritten for the request's status: the script and line that failed,
 * the database's own words and SQL state, and the runner's advice in place of Flyway's.
 */
final class FlywayFailures {

  private FlywayFailures() {}

  static String describe(ValidateResult result) {
    StringBuilder message = new StringBuilder("validation failed");
    Collection<ValidateOutput> invalid = result.invalidMigrations;
    if (invalid != null && !invalid.isEmpty()) {
      ValidateOutput first = invalid.iterator().next();
      String script = scriptName(first) == null ? "version " + first.version : scriptName(first);
      message.append(": ").append(script);
      if (first.errorDetails != null) {
        message.append(": ").append(withoutRepairAdvice(first.errorDetails.errorMessage));
      }
      if (invalid.size() > 1) {
        message.append(" (and ").append(invalid.size() - 1).append(" more)");
      }
    } else if (result.errorDetails != null) {
      message.append(": ").append(withoutRepairAdvice(result.errorDetails.errorMessage));
    }
    message.append(
        ". Applied scripts must never change: restore the applied text and put the change in a"
            + " new versioned script");
    return message.toString();
  }

  /**
   * Flyway suggests "run repair", which would rewrite the checksum of an approved, applied script
   * to match an unapproved edit; the runner's own advice replaces it.
   */
  static String withoutRepairAdvice(String flywayMessage) {
    return OneLine.of(flywayMessage)
        .replaceAll("\\s*\\|?\\s*Either revert the changes to the migration, or run repair[^|]*$", "")
        .replaceAll("[.\\s|]+$", "");
  }

  /** Flyway's words, or for a connection or login failure the fixed ones of {@link ConnectionFailures}. */
  static String describe(FlywayException e) {
    return ConnectionFailures.safeMessage(e);
  }

  static String describeMigrationFailure(FlywayException e) {
    FlywayMigrateException migrate = find(e, FlywayMigrateException.class);
    FlywaySqlScriptException script = find(e, FlywaySqlScriptException.class);
    SQLException sql = find(e, SQLException.class);

    StringBuilder message = new StringBuilder("migration failed");
    String scriptName = null;
    if (migrate != null && migrate.getMigration() != null) {
      scriptName = migrate.getMigration().getScript();
    } else if (script != null && script.getResource() != null) {
      scriptName = script.getResource().getFilename();
    }
    if (scriptName != null) {
      message.append(" in ").append(scriptName);
    }
    int line = script != null ? script.getLineNumber() : migrate != null ? migrate.getLineNumber() : -1;
    if (line > 0) {
      message.append(" at line ").append(line);
    }
    message.append(": ");
    if (ConnectionFailures.isConnectionFailure(e)) {
      message.append(ConnectionFailures.safeMessage(e));
    } else if (sql != null) {
      message.append(OneLine.of(sql.getMessage()));
      if (sql.getSQLState() != null) {
        message.append(" (SQL state ").append(sql.getSQLState());
        if (sql.getErrorCode() != 0) {
          message.append(", error ").append(sql.getErrorCode());
        }
        message.append(")");
      }
    } else {
      message.append(OneLine.of(e.getMessage()));
    }
    return message.toString();
  }

  /** The file name of the script a validation output is about, when it has one. */
  static String scriptName(ValidateOutput output) {
    return output.filepath == null || output.filepath.isBlank()
        ? null
        : Path.of(output.filepath).getFileName().toString();
  }

  /** The first throwable of {@code type} in the chain of causes, or null. */
  static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
