package io.migrationgate.localcluster;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * An embedded PostgreSQL on 127.0.0.1 (no root, nothing installed) with a password-protected
 * migrator role; each migration target gets its own database. It can be restarted on the same
 * port and data, as a database server restarts under its clients.
 */
public final class LocalPostgres implements AutoCloseable {

  public static final String MIGRATOR = "migrator";

  private final Path dataDir;
  private final Path hba;
  private final String password;
  // replaced by a restart while other threads connect
  private volatile EmbeddedPostgres postgres;
  private String owner = MIGRATOR;

  private LocalPostgres(Path dataDir, Path hba, EmbeddedPostgres postgres, String password) {
    this.dataDir = dataDir;
    this.hba = hba;
    this.postgres = postgres;
    this.password = password;
  }

  /** Initializes a new cluster in {@code dataDir} (which must not hold one) and starts it on a free port. */
  public static LocalPostgres start(Path dataDir) throws IOException, SQLException {
    // initdb trusts every local login; the migrator must really need its password, as in production
    Path hba = dataDir.resolveSibling("pg_hba.conf");
    Files.writeString(hba, String.join("\n",
        "local all all trust",
        "host all postgres 127.0.0.1/32 trust",
        "host all all 127.0.0.1/32 scram-sha-256",
        ""));
    EmbeddedPostgres postgres = server(dataDir, hba, 0);
    String password = Processes.randomToken().substring(0, 20);
    try (Connection admin = postgres.getPostgresDatabase().getConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE ROLE " + MIGRATOR + " LOGIN PASSWORD '" + password + "'");
    }
    return new LocalPostgres(dataDir, hba, postgres, password);
  }

  /**
   * The server on {@code dataDir}: initdb runs only when it holds no cluster yet (the data is never
   * cleaned, so that a restart finds it; {@link #close} removes it). Port 0 picks a free one.
   */
  private static EmbeddedPostgres server(Path dataDir, Path hba, int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setPort(port)
        .setServerConfig("hba_file", hba.toString())
        .setServerConfig("password_encryption", "scram-sha-256")
        .start();
  }

  /**
   * Stops the server (pg_ctl's fast mode: open connections are ended, as in a restart), waits
   * {@code downtime} and starts it again on the same port and data.
   */
  public synchronized void restart(Duration downtime) throws IOException {
    int port = postgres.getPort();
    postgres.close();
    Processes.sleep(downtime.toMillis());
    postgres = server(dataDir, hba, port);
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
  public synchronized void close() throws IOException {
    postgres.close();
    Processes.deleteTree(dataDir);
  }
}
