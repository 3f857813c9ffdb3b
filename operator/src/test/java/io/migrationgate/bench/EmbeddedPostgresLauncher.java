package io.migrationgate.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

/**
 * Starts an embedded PostgreSQL for the benchmark script, creates empty databases for it, writes
 * the port to {@code STATE_DIR/port}, and stops when {@code STATE_DIR/stop} appears or after 30
 * minutes, whichever comes first. Test scope, never shipped.
 *
 * <p>Arguments: state directory, then the names of the databases to create.
 */
public final class EmbeddedPostgresLauncher {

  private static final Duration LONGEST_LIFE = Duration.ofMinutes(30);

  private EmbeddedPostgresLauncher() {}

  public static void main(String[] args) throws Exception {
    Path state = Path.of(args[0]);
    Files.createDirectories(state);
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      try (Connection admin = postgres.getPostgresDatabase().getConnection();
          Statement statement = admin.createStatement()) {
        for (int i = 1; i < args.length; i++) {
          statement.execute("CREATE DATABASE " + args[i]);
        }
      }
      Path portFile = state.resolve("port");
      Files.writeString(state.resolve("port.tmp"), Integer.toString(postgres.getPort()));
      Files.move(state.resolve("port.tmp"), portFile);
      Instant giveUp = Instant.now().plus(LONGEST_LIFE);
      while (!Files.exists(state.resolve("stop")) && Instant.now().isBefore(giveUp)) {
        Thread.sleep(200);
      }
    }
  }
}
