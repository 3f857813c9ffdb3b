package io.migrationgate.runner;

import io.migrationgate.contract.CredentialsSource;
import io.migrationgate.contract.Outcome;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens the first connection before Flyway does, so that "cannot reach or log in to the database"
 * is its own outcome (exit 11, or 16 for a refused login), told in the fixed words of
 * {@link ConnectionFailures} (a driver's words here may repeat the user name), instead of surfacing
 * later as a Flyway error of some other step.
 *
 * <p>Driver timeouts already bound the attempt; the wall-clock deadline here is the backstop for a
 * driver that ignores them, so a Job never hangs until its activeDeadlineSeconds.
 */
final class ConnectionProbe {

  /** What the database says it is, as recorded in the report. */
  record DatabaseIdentity(String product, String version) {}

  private static final Duration GRACE = Duration.ofSeconds(2);

  private ConnectionProbe() {}

  /** {@code credentialsSource}: the Secret and keys a refused login points at, by name. */
  static DatabaseIdentity connect(TimeboxedDataSource dataSource, String printableUrl,
      Optional<CredentialsSource> credentialsSource) throws RunnerFailure {
    FutureTask<DatabaseIdentity> attempt =
        new FutureTask<>(
            () -> {
              try (Connection connection = dataSource.getConnection()) {
                DatabaseMetaData meta = connection.getMetaData();
                return new DatabaseIdentity(
                    meta.getDatabaseProductName(), meta.getDatabaseProductVersion());
              }
            });
    Thread thread = new Thread(attempt, "migration-gate-connect");
    thread.setDaemon(true);
    thread.start();
    Duration deadline = dataSource.connectTimeout().plus(GRACE);
    try {
      return attempt.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      attempt.cancel(true);
      throw new RunnerFailure(
          Outcome.CONNECTION_FAILED,
          "cannot connect to "
              + printableUrl
              + ": no answer within "
              + dataSource.connectTimeout().toMillis()
              + " ms; check the host, port and network policy, or raise --connect-timeout");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunnerFailure(Outcome.CONNECTION_FAILED, "interrupted while connecting", e);
    } catch (ExecutionException e) {
      // A refused login stays refused until someone fixes the Secret; anything else (a database
      // restarting, too many connections, a network blip) may pass, and a plan is tried again.
      throw ConnectionFailures.atConnect(e.getCause(), printableUrl, credentialsSource);
    }
  }
}
