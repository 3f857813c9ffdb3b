package io.migrationgate.runner;

import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.RunnerCommand;
import io.migrationgate.contract.RunReport.Finding;
import io.migrationgate.contract.RunReport.HistoryEntry;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.ClassProvider;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.ErrorCode;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.flywaydb.core.internal.license.VersionPrinter;

/**
 * Flyway's info, validate and migrate, configured so that the only thing that can happen to the
 * database is applying the approved scripts: clean is disabled, nothing is read from the classpath
 * or from FLYWAY_* variables, and connection retries are off (the connect timeout already decided).
 * For a plan nothing may happen at all: schemas are not created, and only info and validate run,
 * which read the history table if it exists and never create it.
 */
final class FlywaySteps {

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
      return HistorySnapshot.of(flyway.info());
    } catch (FlywayException e) {
      if (FlywayFailures.find(e, SQLException.class) == null) {
        // Not the database: Flyway refused the scripts themselves (e.g. a misnamed file).
        throw new RunnerFailure(
            Outcome.VALIDATION_FAILED,
            "validation failed: "
                + FlywayFailures.describe(e)
                + ". Versioned scripts are named V<version>__<description>.sql",
            e);
      }
      throw new RunnerFailure(
          ConnectionFailures.outcomeOfRead(e, Outcome.VALIDATION_FAILED),
          "cannot read the schema history: "
              + FlywayFailures.describe(e)
              + "; check that the user may read and create tables in the target schema",
          e);
    }
  }

  void validate() throws RunnerFailure {
    ValidateResult result = validateWithResult();
    if (!result.validationSuccessful) {
      throw new RunnerFailure(Outcome.VALIDATION_FAILED, FlywayFailures.describe(result));
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
      String script = FlywayFailures.scriptName(output) != null ? FlywayFailures.scriptName(output)
          : history.entries().stream()
              .filter(entry -> version != null && version.equals(entry.version()))
              .map(HistoryEntry::script)
              .findFirst().orElse(null);
      findings.add(new Finding(findingKind(code), version, script,
          output.errorDetails == null ? null : FlywayFailures.withoutRepairAdvice(output.errorDetails.errorMessage)));
    }
    if (findings.isEmpty()) {
      findings.add(new Finding(Finding.OTHER, null, null, result.errorDetails == null
          ? "validation failed without details" : FlywayFailures.withoutRepairAdvice(result.errorDetails.errorMessage)));
    }
    return findings;
  }

  private ValidateResult validateWithResult() throws RunnerFailure {
    try {
      return flyway.validateWithResult();
    } catch (FlywayException e) {
      throw new RunnerFailure(ConnectionFailures.outcomeOfRead(e, Outcome.VALIDATION_FAILED),
          "validation failed: " + FlywayFailures.describe(e), e);
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

  MigrateResult migrate() throws RunnerFailure {
    try {
      return flyway.migrate();
    } catch (FlywayValidateException e) {
      throw new RunnerFailure(Outcome.VALIDATION_FAILED, "validation failed: " + FlywayFailures.describe(e), e);
    } catch (FlywayException e) {
      throw new RunnerFailure(Outcome.MIGRATION_FAILED, FlywayFailures.describeMigrationFailure(e), e);
    }
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
