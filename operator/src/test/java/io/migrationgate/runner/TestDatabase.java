package io.migrationgate.runner;

import io.migrationgate.contract.RunnerCommand;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/** A real database server started for one test class, with a password-protected migrator user. */
interface TestDatabase extends AutoCloseable {

  String MIGRATOR = "migrator";
  String MIGRATOR_PASSWORD = "s3cret-Migrator";

  /** A new, empty database the migrator owns, so every test starts from an empty schema. */
  String newDatabaseUrl() throws Exception;

  /** The same server's URL on a port where nothing listens. */
  String urlWithPort(int port);

  /**
   * Credentials of a new user who may log in to the database at {@code url} and read its tables as
   * they are now, but not create anything: no schema, no table, no write.
   */
  Map<String, String> newReadOnlyUser(String url) throws Exception;

  default Map<String, String> migratorCredentials() {
    return Map.of(
        RunnerCommand.USERNAME_ENV, MIGRATOR, RunnerCommand.PASSWORD_ENV, MIGRATOR_PASSWORD);
  }

  /** First column of the first row, read as the migrator; null when there is no row. */
  default String queryAsMigrator(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, MIGRATOR, MIGRATOR_PASSWORD);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    }
  }

  default boolean tableExists(String url, String table) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, MIGRATOR, MIGRATOR_PASSWORD);
        ResultSet tables = connection.getMetaData().getTables(connection.getCatalog(), null, table, null)) {
      return tables.next();
    }
  }
}
