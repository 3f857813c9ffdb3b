package io.migrationgate.runner;

import io.migrationgate.runner.review.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One data check's transaction: read-only at the database level and always rolled back, with a
 * statement timeout on everything it asks. PostgreSQL takes {@code SET LOCAL statement_timeout}
 * for the transaction; MariaDB {@code SET STATEMENT max_statement_time=... FOR} on each query;
 * MySQL the {@code MAX_EXECUTION_TIME} hint on each SELECT.
 */
final class DataCheckSession {

  /** PostgreSQL query_canceled (what statement_timeout raises); MariaDB's max_statement_time state. */
  private static final List<String> TIMEOUT_STATES = List.of("57014", "70100");
  /** MariaDB ER_STATEMENT_TIMEOUT, MySQL ER_QUERY_TIMEOUT. */
  private static final List<Integer> TIMEOUT_CODES = List.of(1969, 3024);

  private final Connection connection;
  private final Dialect dialect;
  private long timeoutMillis;

  DataCheckSession(Connection connection, Dialect dialect) {
    this.connection = connection;
    this.dialect = dialect;
  }

  Dialect dialect() {
    return dialect;
  }

  boolean postgres() {
    return dialect.postgres();
  }

  void begin(Duration timeout) throws SQLException {
    timeoutMillis = Math.max(1, timeout.toMillis());
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      if (postgres()) {
        statement.execute("SET TRANSACTION READ ONLY");
        statement.execute("SET LOCAL statement_timeout = " + timeoutMillis);
      } else {
        statement.execute("START TRANSACTION READ ONLY");
      }
    }
  }

  void end() throws SQLException {
    try {
      connection.rollback();
    } finally {
      connection.setAutoCommit(true);
    }
  }

  /** Every row of {@code sql}, its columns as the driver reads them. */
  List<Object[]> rows(String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(timed(sql))) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      List<Object[]> rows = new ArrayList<>();
      try (ResultSet result = statement.executeQuery()) {
        int columns = result.getMetaData().getColumnCount();
        while (result.next()) {
          Object[] row = new Object[columns];
          for (int i = 0; i < columns; i++) {
            row[i] = result.getObject(i + 1);
          }
          rows.add(row);
        }
      }
      return rows;
    }
  }

  /** The first column of the first row of a count. */
  long count(String sql, Object... parameters) throws SQLException {
    List<Object[]> rows = rows(sql, parameters);
    return rows.isEmpty() || rows.get(0)[0] == null ? 0 : ((Number) rows.get(0)[0]).longValue();
  }

  /** MySQL and MariaDB cut values to fit, rather than fail, outside strict mode. */
  boolean strict() throws SQLException {
    if (postgres()) {
      return true;
    }
    List<Object[]> mode = rows("SELECT @@SESSION.sql_mode");
    String text = mode.isEmpty() || mode.get(0)[0] == null ? "" : mode.get(0)[0].toString().toUpperCase(Locale.ROOT);
    return text.contains("STRICT_TRANS_TABLES") || text.contains("STRICT_ALL_TABLES");
  }

  private String timed(String sql) {
    return switch (dialect) {
      case POSTGRESQL -> sql;
      case MARIADB -> "SET STATEMENT max_statement_time=" + String.format(Locale.ROOT, "%.3f", timeoutMillis / 1000.0)
          + " FOR " + sql;
      case MYSQL -> sql.replaceFirst("^SELECT ", "SELECT /*+ MAX_EXECUTION_TIME(" + timeoutMillis + ") */ ");
    };
  }

  static boolean isTimeout(SQLException e) {
    return e instanceof SQLTimeoutException || TIMEOUT_STATES.contains(e.getSQLState())
        || TIMEOUT_CODES.contains(e.getErrorCode());
  }
}
