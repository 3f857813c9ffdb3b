package io.migrationgate.runner;

import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.RunnerCommand;
import io.migrationgate.contract.RunReport.AppliedMigration;
import io.migrationgate.contract.RunReport.Finding;
import io.migrationgate.contract.RunReport.HistoryEntry;
import io.migrationgate.contract.RunReport.PendingMigration;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.ClassProvider;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.ErrorCode;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.flywaydb.core.internal.license.VersionPrinter;
import org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException;

/**
 * Flyway's info, validate and migrate, configured so that the only thing that can happen to the
 * database is applying the approved scripts: clean is disabled, nothing is read from the classpath
 * or from FLYWAY_* variables, and connection retries are off (the connect timeout already decided).
 * For a plan nothing may happen at all: schemas are not created, and only info and validate run,
 * which read the history table if it exists and never create it.
 */
final class FlywaySteps {

  /** The schema history as it stood at one moment, to tell what a migrate added. */
  record HistorySnapshot(String currentVersion, Set<Integer> appliedRanks, List<MigrationInfo> all) {
    static final HistorySnapshot UNKNOWN = new HistorySnapshot(null, Set.of(), List.of());
  }

  private static final ClassProvider<JavaMigration> NO_JAVA_MIGRATIONS = List::of;

  private final Flyway flyway;

  /** {@code mayCreateSchemas} is false for a plan, which must leave the database as it found it. */
  FlywaySteps(RunnerCommand command, DataSource dataSource, MountedScripts scripts, boolean mayCreateSchemas) {
    FluentConfiguration configuration =
        Flyway.configure(FlywaySteps.class.getClassLoader())
            .dataSource(dataSource)
            .resourceProvider(new DigestedScriptsProvider(scripts))
            .javaMigrationClassProvider(NO_JAVA_MIGRATIONS)
            .skipDefaultCallbacks(true)
            // Result tables of SELECTs inside scripts would flood the log tail kept as evidence.
            .outputQueryResults(false)
            .cleanDisabled(true)
            .createSchemas(mayCreateSchemas)
            .connectRetries(0)
            .validateOnMigrate(true)
            // A misnamed .sql file would otherwise be skipped in silence: the approver saw it,
            // so it must either run or stop the run.
            .validateMigrationNaming(true)
            // Pending scripts are the point of the run; only history/script disagreements count.
            .ignoreMigrationPatterns("*:pending", "*:future")
            .table(command.table())
            .outOfOrder(command.outOfOrder())
            .baselineOnMigrate(command.baselineOnMigrate())
            .placeholders(command.placeholders())
            .target(command.target());
    if (!command.schemas().isEmpty()) {
      configuration.schemas(command.schemas().toArray(String[]::new));
    }
    command.baselineVersion().ifPresent(configuration::baselineVersion);
    this.flyway = configuration.load();
  }

  static String flywayVersion() {
    return VersionPrinter.getVersion();
  }

  /** Reads the schema history; failing to read it at all counts against validation (exit 12). */
  HistorySnapshot history() throws RunnerFailure {
    try {
      return readHistory();
    } catch (FlywayException e) {
      if (find(e, SQLException.class) == null) {
        // Not the database: Flyway refused the scripts themselves (e.g. a misnamed file).
        throw new RunnerFailure(
            Outcome.VALIDATION_FAILED,
            "validation failed: "
                + describe(e)
                + ". Versioned scripts are named V<version>__<description>.sql",
            e);
      }
      throw new RunnerFailure(
          Outcome.VALIDATION_FAILED,
          "cannot read the schema history: "
              + describe(e)
              + "; check that the user may read and create tables in the target schema",
          e);
    }
  }

  private HistorySnapshot readHistory() {
    MigrationInfoService info = flyway.info();
    MigrationInfo current = info.current();
    Set<Integer> ranks = new HashSet<>();
    for (MigrationInfo applied : info.applied()) {
      if (applied.getInstalledRank() != null) {
        ranks.add(applied.getInstalledRank());
      }
    }
    return new HistorySnapshot(current == null ? null : version(current), ranks, List.of(info.all()));
  }

  void validate() throws RunnerFailure {
    ValidateResult result = validateWithResult();
    if (!result.validationSuccessful) {
      throw new RunnerFailure(Outcome.VALIDATION_FAILED, describe(result));
    }
  }

  /**
   * What validate would stop a run on, one finding per disagreement; empty when a run would go on.
   * A migration no longer among the scripts has no file, so its script name comes from {@code
   * history}.
   */
  List<Finding> findings(HistorySnapshot history) throws RunnerFailure {
    ValidateResult result = validateWithResult();
    List<Finding> findings = new ArrayList<>();
    if (result.validationSuccessful) {
      return findings;
    }
    Collection<ValidateOutput> invalid = result.invalidMigrations == null ? List.of() : result.invalidMigrations;
    for (ValidateOutput output : invalid) {
      ErrorCode code = output.errorDetails == null ? null : output.errorDetails.errorCode;
      String version = blankToNull(output.version);
      String script = scriptName(output) != null ? scriptName(output) : historyEntries(history).stream()
          .filter(entry -> version != null && version.equals(entry.version()))
          .map(HistoryEntry::script)
          .findFirst().orElse(null);
      findings.add(new Finding(findingKind(code), version, script,
          output.errorDetails == null ? null : withoutRepairAdvice(output.errorDetails.errorMessage)));
    }
    if (findings.isEmpty()) {
      findings.add(new Finding(Finding.OTHER, null, null, result.errorDetails == null
          ? "validation failed without details" : withoutRepairAdvice(result.errorDetails.errorMessage)));
    }
    return findings;
  }

  private ValidateResult validateWithResult() throws RunnerFailure {
    try {
      return flyway.validateWithResult();
    } catch (FlywayException e) {
      throw new RunnerFailure(
          Outcome.VALIDATION_FAILED, "validation failed: " + describe(e), e);
    }
  }

  private static String findingKind(ErrorCode code) {
    if (!(code instanceof CoreErrorCode core)) {
      return Finding.OTHER;
    }
    return switch (core) {
      case CHECKSUM_MISMATCH -> Finding.CHECKSUM_DRIFT;
      case FAILED_VERSIONED_MIGRATION, FAILED_REPEATABLE_MIGRATION, FAILED_BASELINE_MIGRATION -> Finding.FAILED;
      case APPLIED_VERSIONED_MIGRATION_NOT_RESOLVED, APPLIED_REPEATABLE_MIGRATION_NOT_RESOLVED -> Finding.MISSING;
      // Pending scripts are ignored by configuration, so a script validate still calls not
      // applied is one Flyway will never apply: older than the current version, outOfOrder off.
      case RESOLVED_VERSIONED_MIGRATION_NOT_APPLIED -> Finding.OUT_OF_ORDER;
      default -> Finding.OTHER;
    };
  }

  /**
   * Every row of the history table in installed-rank order, as recorded: an applied script's
   * checksum is the one stored when it ran, not the one of today's text.
   */
  static List<HistoryEntry> historyEntries(HistorySnapshot history) {
    return history.all().stream()
        .filter(m -> m.getInstalledRank() != null)
        .sorted(Comparator.comparing(MigrationInfo::getInstalledRank))
        .map(m -> new HistoryEntry(version(m), m.getDescription(), m.getScript(), m.getChecksum(),
            !m.getState().isFailed()))
        .toList();
  }

  /** The scripts a run would apply, in the order it would apply them (target and outOfOrder applied). */
  static List<PendingMigration> pending(HistorySnapshot history) {
    return history.all().stream()
        .filter(m -> m.getState() == MigrationState.PENDING)
        .map(m -> new PendingMigration(version(m), m.getDescription(), m.getScript(), m.getChecksum()))
        .toList();
  }

  private static String version(MigrationInfo migration) {
    return migration.getVersion() == null ? null : migration.getVersion().getVersion();
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  private static String scriptName(ValidateOutput output) {
    return output.filepath == null || output.filepath.isBlank()
        ? null
        : java.nio.file.Path.of(output.filepath).getFileName().toString();
  }

  MigrateResult migrate() throws RunnerFailure {
    try {
      return flyway.migrate();
    } catch (FlywayValidateException e) {
      throw new RunnerFailure(Outcome.VALIDATION_FAILED, "validation failed: " + describe(e), e);
    } catch (FlywayException e) {
      throw new RunnerFailure(Outcome.MIGRATION_FAILED, describeMigrationFailure(e), e);
    }
  }

  /**
   * Scripts that succeeded after {@code before}, in the order they were applied. Flyway's own
   * marker rows (schema creation, baseline) are not scripts anyone approved, so they are left out.
   */
  static List<AppliedMigration> appliedSince(HistorySnapshot before, HistorySnapshot after) {
    List<AppliedMigration> applied = new ArrayList<>();
    for (MigrationInfo migration : newRows(before, after)) {
      if (migration.getType().isSynthetic() || migration.getState().isFailed()) {
        continue;
      }
      applied.add(
          new AppliedMigration(
              version(migration),
              migration.getDescription(),
              migration.getScript(),
              migration.getExecutionTime() == null ? 0 : migration.getExecutionTime()));
    }
    return applied;
  }

  /** The version Flyway baselined an existing schema at during this run, if it did. */
  static java.util.Optional<String> baselineSince(HistorySnapshot before, HistorySnapshot after) {
    return newRows(before, after).stream()
        .filter(m -> m.getType().isBaseline() && m.getVersion() != null)
        .map(m -> m.getVersion().getVersion())
        .findFirst();
  }

  private static List<MigrationInfo> newRows(HistorySnapshot before, HistorySnapshot after) {
    List<MigrationInfo> rows = new ArrayList<>();
    for (MigrationInfo migration : after.all()) {
      Integer rank = migration.getInstalledRank();
      if (rank != null && !before.appliedRanks().contains(rank) && migration.getState().isApplied()) {
        rows.add(migration);
      }
    }
    return rows;
  }

  /** Scripts recorded as failed in the history, which block every later run until repaired. */
  static List<String> failedScripts(HistorySnapshot history) {
    return history.all().stream()
        .filter(m -> m.getState().isFailed() && m.getInstalledRank() != null)
        .map(MigrationInfo::getScript)
        .collect(Collectors.toList());
  }

  /** Scripts left pending because the target stopped the migration before them. */
  static List<String> aboveTarget(HistorySnapshot history) {
    return history.all().stream()
        .filter(m -> m.getState() == MigrationState.ABOVE_TARGET)
        .map(MigrationInfo::getScript)
        .collect(Collectors.toList());
  }

  private static String describe(ValidateResult result) {
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
  private static String withoutRepairAdvice(String flywayMessage) {
    return OneLine.of(flywayMessage)
        .replaceAll("\\s*\\|?\\s*Either revert the changes to the migration, or run repair[^|]*$", "")
        .replaceAll("[.\\s|]+$", "");
  }

  private static String describe(FlywayException e) {
    return OneLine.of(e.getMessage());
  }

  private static String describeMigrationFailure(FlywayException e) {
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
    if (sql != null) {
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

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
