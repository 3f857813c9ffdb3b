package io.migrationgate.runner;

import io.migrationgate.contract.RunnerCommand;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Embedded PostgreSQL whose TCP logins other than the superuser need a real password (scram), so
 * that a wrong password is refused as it would be in production; initdb's default is "trust".
 */
final class EmbeddedPostgresDatabase implements TestDatabase {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final AtomicInteger READERS = new AtomicInteger();

  private final EmbeddedPostgres postgres;
  private final Path hbaDirectory;

  private EmbeddedPostgresDatabase(EmbeddedPostgres postgres, Path hbaDirectory) {
    this.postgres = postgres;
    this.hbaDirectory = hbaDirectory;
  }

  static EmbeddedPostgresDatabase start() throws IOException, SQLException {
    Path hbaDirectory = Files.createTempDirectory("mg-pg-hba");
    Path hba = hbaDirectory.resolve("pg_hba.conf");
    Files.writeString(
        hba,
        String.join(
            "\n",
            "local all all trust",
            "host all postgres 127.0.0.1/32 trust",
            "host all postgres ::1/128 trust",
            "host all all 127.0.0.1/32 scram-sha-256",
            "host all all ::1/128 scram-sha-256",
            ""));
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setServerConfig("hba_file", hba.toString())
            .setServerConfig("password_encryption", "scram-sha-256")
            .start();
    try (Connection admin = postgres.getPostgresDatabase().getConnection();
        Statement statement = admin.createStatement()) {
      statement.execute(
          "CREATE ROLE " + MIGRATOR + " LOGIN PASSWORD '" + MIGRATOR_PASSWORD + "'");
    }
    return new EmbeddedPostgresDatabase(postgres, hbaDirectory);
  }

  int port() {
    return postgres.getPort();
  }

  @Override
  public String newDatabaseUrl() throws SQLException {
    String name = "mg_test_" + DATABASES.incrementAndGet();
    try (Connection admin = postgres.getPostgresDatabase().getConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name + " OWNER " + MIGRATOR);
    }
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + name;
  }

  /** Also takes from everyone else what PostgreSQL grants by default: creating in public, temp tables. */
  @Override
  public Map<String, String> newReadOnlyUser(String url) throws SQLException {
    String name = "reader_" + READERS.incrementAndGet();
    String database = url.substring(url.lastIndexOf('/') + 1);
    try (Connection admin = postgres.getPostgresDatabase().getConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + MIGRATOR_PASSWORD + "'");
    }
    try (Connection admin = postgres.getDatabase("postgres", database).getConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
      statement.execute("REVOKE CREATE, TEMPORARY ON DATABASE " + database + " FROM PUBLIC");
      statement.execute("GRANT USAGE ON SCHEMA public TO " + name);
      statement.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + name);
    }
    return Map.of(RunnerCommand.USERNAME_ENV, name, RunnerCommand.PASSWORD_ENV, MIGRATOR_PASSWORD);
  }

  @Override
  public String urlWithPort(int port) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  @Override
  public void close() throws IOException {
    postgres.close();
    Files.deleteIfExists(hbaDirectory.resolve("pg_hba.conf"));
    Files.deleteIfExists(hbaDirectory);
  }
}
