package io.migrationgate.runner;

import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.RunReport.VerificationResult;
import io.migrationgate.contract.VerifyQuery;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Runs the post-migration checks inside one read-only transaction that is always rolled back, so a
 * verify query can observe the migrated schema but never change it, and each query is cut off
 * after the verify timeout so a slow check cannot hold the Job open.
 *
 * <p>Every query runs even after one fails: the evidence should show all of them.
 */
final class VerificationQueries {

  private VerificationQueries() {}

  static List<VerificationResult> run(
      DataSource dataSource, List<VerifyQuery> queries, Duration timeout) throws RunnerFailure {
    List<VerificationResult> results = new ArrayList<>();
    if (queries.isEmpty()) {
      return results;
    }
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      connection.setReadOnly(true);
      startReadOnlyTransaction(connection);
      try {
        for (VerifyQuery query : queries) {
          results.add(runOne(connection, query, timeout));
        }
      } finally {
        connection.rollback();
      }
    } catch (SQLException e) {
      throw new RunnerFailure(
          Outcome.VERIFICATION_FAILED,
          "verification could not start a read-only transaction: "
              + describe(e),
          e);
    }
    return results;
  }

  /**
   * setReadOnly alone is a hint some drivers only act on for replicas; the explicit statement makes
   * the database itself refuse writes.
   */
  private static void startReadOnlyTransaction(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase();
    try (Statement statement = connection.createStatement()) {
      if (product.contains("postgres")) {
        statement.execute("SET TRANSACTION READ ONLY");
      } else {
        statement.execute("START TRANSACTION READ ONLY");
      }
    }
  }

  private static VerificationResult runOne(Connection connection, VerifyQuery query, Duration timeout) {
    try (Statement statement = connection.createStatement()) {
      statement.setQueryTimeout((int) Math.max(1, TimeboxedDataSource.ceilSeconds(timeout)));
      try (ResultSet rows = statement.executeQuery(query.sql())) {
        if (!rows.next()) {
          return new VerificationResult(
              query.name(), false, null, query.expect(), "the query returned no rows");
        }
        String actual = firstColumnAsText(rows);
        return new VerificationResult(
            query.name(), actual.equals(query.expect()), actual, query.expect(), null);
      }
    } catch (SQLException e) {
      // A failed statement aborts a PostgreSQL transaction; later queries need a fresh start.
      restartTransaction(connection);
      return new VerificationResult(
          query.name(), false, null, query.expect(), describe(e));
    }
  }

  /** Booleans read as true/false on every database, not PostgreSQL's t/f. */
  private static String firstColumnAsText(ResultSet rows) throws SQLException {
    Object value = rows.getObject(1);
    if (value == null) {
      return "null";
    }
    if (value instanceof Boolean bool) {
      return bool.toString();
    }
    String text = rows.getString(1);
    return text == null ? "null" : text;
  }

  private static void restartTransaction(Connection connection) {
    try {
      connection.rollback();
      startReadOnlyTransaction(connection);
    } catch (SQLException ignored) {
      // the next query reports its own error
    }
  }

  /** The database's words and SQL state; a connection failure's fixed words, which carry the state already. */
  private static String describe(SQLException e) {
    if (ConnectionFailures.isConnectionFailure(e)) {
      return ConnectionFailures.safeMessage(e);
    }
    return OneLine.of(e.getMessage()) + (e.getSQLState() == null ? "" : " (SQL state " + e.getSQLState() + ")");
  }
}
