package io.migrationgate.bench;

import org.flywaydb.core.Flyway;

/**
 * The benchmark's baseline: nothing but flyway-core migrating a directory, with the settings the
 * runner uses (clean disabled, no connection retries, validate on migrate). Test scope, never
 * shipped.
 *
 * <p>Arguments: JDBC URL, user, scripts directory.
 */
public final class BareFlywayMigrate {

  private BareFlywayMigrate() {}

  public static void main(String[] args) {
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
