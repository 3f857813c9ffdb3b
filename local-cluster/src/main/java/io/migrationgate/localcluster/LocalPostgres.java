package io.migrationgate.localcluster;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An embedded PostgreSQL on 127.0.0.1 (no root, nothing installed) with a password-protected
 * migrator role; each migration target gets its own database.
 */
public final class LocalPostgres implements AutoCloseable {

  public static final String MIGRATOR = "migrator";

  private final EmbeddedPostgres postgres;
  private final String password;
  private String owner = MIGRATOR;

  private LocalPostgres(EmbeddedPostgres postgres, String password) {
    this.postgres = postgres;
    this.password = password;
  }

  public static LocalPostgres start(Path dataDir) throws IOException, SQLException {
    // initdb trusts every local login; the migrator must really need its password, as in production
    Path hba = dataDir.resolveSibling("pg_hba.conf");
    Files.writeString(hba, String.join("\n",
        "local all all trust",
        "host all postgres 127.0.0.1/32 trust",
        "host all all 127.0.0.1/32 scram-sha-256",
        ""));
    EmbeddedPostgres postgres = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setServerConfig("hba_file", hba.toString())
        .setCleanDataDirectory(true)
        .setServerConfig("password_encryption", "scram-sha-256")
        .start();
    String password = Processes.randomToken().substring(0, 20);
    try (Connection admin = postgres.getPostgresDatabase().getConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE ROLE " + MIGRATOR + " LOGIN PASSWORD '" + password + "'");
    }
    return new LocalPostgres(postgres, password);
  }

  /** Creates database {@code name} owned by the migrator; returns its JDBC URL (no credentials). */
  public String createDatabase(String name) throws SQLException {
    try (Connection admin = postgres.getPostgresDatabase().getConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name + " OWNER " + MIGRATOR);
    }
    return url(name);
  }

  /**
   * A login role for a database user named in a Secret. Databases created afterwards with
   * {@link #createDatabaseIfMissing} belong to the last login created.
   */
  public synchronized void createLogin(String user, String password) throws SQLException {
    if (!user.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("not a plain PostgreSQL role name: " + user);
    }
    try (Connection admin = postgres.getPostgresDatabase().getConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE ROLE " + user + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
    }
    owner = user;
  }

  /** Creates database {@code name} (owned by the last login created) unless it exists. */
  public synchronized void createDatabaseIfMissing(String name) throws SQLException {
    try (Connection admin = postgres.getPostgresDatabase().getConnection();
        Statement statement = admin.createStatement()) {
      var exists = statement.executeQuery("select 1 from pg_database where datname = '" + name + "'");
      if (!exists.next()) {
        statement.execute("CREATE DATABASE " + name + " OWNER " + owner);
      }
    }
  }

  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
  }

  public String password() {
    return password;
  }

  public int port() {
    return postgres.getPort();
  }

  /** A superuser connection to {@code database}, for checking what a migration did. */
  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(url(database), "postgres", "");
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
