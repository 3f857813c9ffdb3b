package io.migrationgate.bench;

import ch.qos.logback.classic.LoggerContext;
import io.migrationgate.runner.RunnerLogging;
import org.flywaydb.core.Flyway;
import org.slf4j.LoggerFactory;

/**
 * The benchmark's baseline: nothing but flyway-core migrating a directory, with the settings the
 * runner uses (clean disabled, no connection retries, validate on migrate) and the runner's
 * logging. Test scope, never shipped.
 *
 * <p>Arguments: JDBC URL, user, scripts directory.
 */
public final class BareFlywayMigrate {

  private BareFlywayMigrate() {}

  public static void main(String[] args) {
    RunnerLogging.configure((LoggerContext) LoggerFactory.getILoggerFactory());
    int applied =
        Flyway.configure()
            .dataSource(args[0], args[1], null)
            .locations("filesystem:" + args[2])
            .cleanDisabled(true)
            .connectRetries(0)
            .validateOnMigrate(true)
            .load()
            .migrate()
            .migrationsExecuted;
    System.out.println("applied " + applied);
  }
}
