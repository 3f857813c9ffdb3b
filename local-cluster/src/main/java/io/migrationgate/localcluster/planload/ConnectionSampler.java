package io.migrationgate.localcluster.planload;

import io.migrationgate.localcluster.Processes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Samples pg_stat_activity of the embedded PostgreSQL on a thread of its own: the most client
 * connections open at once, in total and on one database. A sample, not a count of every
 * connection: one that opens and closes between two samples is not seen.
 */
final class ConnectionSampler implements AutoCloseable {

  static final Duration INTERVAL = Duration.ofMillis(100);
  private static final String QUERY = "select count(*) as on_database from pg_stat_activity"
      + " where backend_type = 'client backend' and pid <> pg_backend_pid() and datname is not null group by datname";

  private final Connection connection;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread thread;
  private Peak total = Peak.none();
  private Peak onOneDatabase = Peak.none();
  private String error;

  ConnectionSampler(Connection superuser) {
    this.connection = superuser;
    thread = new Thread(this::sample, "connection-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void sample() {
    try (Statement statement = connection.createStatement()) {
      while (!stop.get()) {
        int sum = 0;
        int most = 0;
        try (ResultSet rows = statement.executeQuery(QUERY)) {
          while (rows.next()) {
            sum += rows.getInt(1);
            most = Math.max(most, rows.getInt(1));
          }
        }
        record(sum, most);
        Processes.sleep(INTERVAL.toMillis());
      }
    } catch (SQLException e) {
      synchronized (this) {
        error = e.toString();
      }
    }
  }

  private synchronized void record(int sum, int most) {
    total = total.raise(sum);
    onOneDatabase = onOneDatabase.raise(most);
  }

  synchronized Peak total() {
    return total;
  }

  synchronized Peak onOneDatabase() {
    return onOneDatabase;
  }

  /** Why sampling stopped early, if it did: the peaks are then only those seen before. */
  synchronized String error() {
    return error;
  }

  @Override
  public void close() throws SQLException {
    stop.set(true);
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connection.close();
  }
}
