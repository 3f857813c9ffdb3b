package io.migrationgate.runner;

import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.SqlIdentifier;
import io.migrationgate.runner.DataCatalog.Table;
import io.migrationgate.runner.review.DataQuestion;
import io.migrationgate.runner.review.DataQuestion.Name;
import io.migrationgate.runner.review.Dialect;
import io.migrationgate.runner.review.ScriptReview.DataCheck;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Puts the review's data questions to the database: each check in a read-only transaction that
 * is rolled back, cut off after {@link #CHECK_TIMEOUT}, all of them within {@link #ALL_CHECKS_TIME}
 * so the plan Job ends well inside its deadline. A table or column the database does not have yet
 * (an earlier pending script creates it) is not checked; neither is anything that runs out of time
 * or that the database refuses to answer. Names come from the catalog and are always quoted.
 */
final class LiveDataChecks {

  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);
  static final Duration ALL_CHECKS_TIME = Duration.ofSeconds(60);

  /** A table or column a question names that the database does not have yet. */
  private static final class NotYet extends Exception {
    NotYet(String name) {
      super(name, null, false, false);
    }
  }

  private final DataCheckSession session;
  private final DataCatalog catalog;
  private final Duration checkTimeout;
  private final Duration allChecks;
  private Boolean strict;

  private LiveDataChecks(DataCheckSession session, String defaultSchema, Duration checkTimeout, Duration allChecks) {
    this.session = session;
    this.catalog = new DataCatalog(session, defaultSchema);
    this.checkTimeout = checkTimeout;
    this.allChecks = allChecks;
  }

  /**
   * One answer per check, in order. A connection that fails on the way is a {@link RunnerFailure}
   * (DatabaseUnreachable, which a plan Job retries); anything else a check meets is its answer.
   */
  static List<DataAnswer> answer(Connection connection, Dialect dialect, String defaultSchema, List<DataCheck> checks,
      Duration checkTimeout, Duration allChecks) throws RunnerFailure {
    LiveDataChecks live = new LiveDataChecks(new DataCheckSession(connection, dialect), defaultSchema, checkTimeout,
        allChecks);
    Map<List<Object>, DataAnswer> asked = new HashMap<>();
    List<DataAnswer> answers = new ArrayList<>();
    long deadline = System.nanoTime() + allChecks.toNanos();
    for (DataCheck check : checks) {
      List<Object> key = new ArrayList<>();
      key.add(check.question());
      key.add(check.changedBefore());
      DataAnswer answer = asked.get(key);
      if (answer == null) {
        answer = live.timed(check, Duration.ofNanos(deadline - System.nanoTime()));
        asked.put(key, answer);
      }
      answers.add(answer);
    }
    return answers;
  }

  private DataAnswer timed(DataCheck check, Duration left) throws RunnerFailure {
    if (check.question() instanceof DataQuestion.NotAsked notAsked) {
      return DataAnswer.notChecked(notAsked.why());
    }
    if (left.compareTo(Duration.ofSeconds(1)) < 0) {
      return DataAnswer.notChecked("the data checks had used their " + allChecks.toSeconds() + " s");
    }
    Duration timeout = left.compareTo(checkTimeout) < 0 ? left : checkTimeout;
    try {
      try {
        session.begin(timeout);
        return ask(check);
      } finally {
        session.end();
      }
    } catch (RuntimeException fault) {
      // a fault of one check leaves that finding undecided; it must not stop the plan
      return DataAnswer.notChecked("the check itself failed (" + OneLine.of(String.valueOf(fault)) + ")");
    } catch (NotYet missing) {
      return DataAnswer.created(missing.getMessage());
    } catch (SQLException e) {
      if (ConnectionFailures.isConnectionFailure(e)) {
        throw new RunnerFailure(ConnectionFailures.outcomeOfRead(e, Outcome.VALIDATION_FAILED),
            "the connection failed during the data checks: " + ConnectionFailures.safeMessage(e), e);
      }
      if (DataCheckSession.isTimeout(e)) {
        return DataAnswer.timedOut(TimeboxedDataSource.ceilSeconds(timeout));
      }
      return DataAnswer.notChecked("the database did not answer it: " + OneLine.of(e.getMessage())
          + (e.getSQLState() == null ? "" : " (SQL state " + e.getSQLState() + ")"));
    }
  }

  private DataAnswer ask(DataCheck check) throws SQLException, NotYet {
    DataQuestion question = check.question();
    if (question instanceof DataQuestion.Size size) {
      Optional<Table> table = catalog.table(size.table(), size.ofIndex());
      if (table.isEmpty()) {
        throw new NotYet(size.ofIndex() ? "index " + size.table() : size.table().toString());
      }
      return DataAnswer.size(table.get().name(), table.get().rows(), table.get().bytes());
    }
    Table table = table(question.table());
    Map<String, String> columns = catalog.columns(table);
    if (columns.isEmpty()) {
      return DataAnswer.notChecked("the catalog shows the plan's user no column of " + table
          + " (no privilege on it?)");
    }
    String from = qualified(table);
    String changedBefore = check.changedBefore();
    if (question instanceof DataQuestion.Duplicates duplicates) {
      List<String> keys = quoted(table, columns, duplicates.columns());
      long count = session.count("SELECT count(*) FROM (SELECT 1 AS one FROM " + from + " WHERE "
          + keys.stream().map(k -> k + " IS NOT NULL").collect(Collectors.joining(" AND ")) + " GROUP BY "
          + String.join(", ", keys) + " HAVING count(*) > 1) mg_duplicates");
      String list = "(" + String.join(", ", duplicates.columns()) + ") in " + table;
      return DataAnswer.decided(count, DataAnswer.count(count, "duplicate value", "duplicate values") + " of " + list,
          "no duplicate values of " + list, changedBefore, false, null);
    }
    if (question instanceof DataQuestion.Nulls nulls) {
      String column = quoted(table, columns, List.of(nulls.column())).get(0);
      long count = session.count("SELECT count(*) FROM " + from + " WHERE " + column + " IS NULL");
      return DataAnswer.decided(count, DataAnswer.count(count, "row", "rows") + " of " + table + " with "
          + nulls.column() + " NULL", "no row of " + table + " has " + nulls.column() + " NULL", changedBefore,
          !strict(), "which get the column type's implicit value");
    }
    if (question instanceof DataQuestion.AnyRow) {
      long count = session.count("SELECT count(*) FROM (SELECT 1 AS one FROM " + from + " LIMIT 1) mg_any");
      return DataAnswer.decided(count, table + " has rows", table + " is empty", changedBefore, false, null);
    }
    if (question instanceof DataQuestion.Orphans orphans) {
      return orphans(orphans, table, columns, changedBefore);
    }
    return fits((DataQuestion.Fits) question, table, columns, changedBefore);
  }

  private DataAnswer orphans(DataQuestion.Orphans orphans, Table table, Map<String, String> columns,
      String changedBefore) throws SQLException, NotYet {
    Table parent = table(orphans.parent());
    List<String> parentColumns = orphans.parentColumns().isEmpty() ? catalog.primaryKey(parent) : orphans.parentColumns();
    if (parentColumns.size() != orphans.columns().size()) {
      return DataAnswer.notChecked(parent + " has no key of " + orphans.columns().size() + " column(s) for the foreign key");
    }
    List<String> keys = quoted(table, columns, orphans.columns());
    List<String> referenced = quoted(parent, catalog.columns(parent), parentColumns);
    StringBuilder sql = new StringBuilder("SELECT count(*) FROM ").append(qualified(table)).append(" mg_child WHERE ");
    keys.forEach(key -> sql.append("mg_child.").append(key).append(" IS NOT NULL AND "));
    sql.append("NOT EXISTS (SELECT 1 FROM ").append(qualified(parent)).append(" mg_parent WHERE ");
    for (int i = 0; i < keys.size(); i++) {
      sql.append(i == 0 ? "" : " AND ").append("mg_parent.").append(referenced.get(i)).append(" = mg_child.")
          .append(keys.get(i));
    }
    long count = session.count(sql.append(")").toString());
    return DataAnswer.decided(count, DataAnswer.count(count, "row", "rows") + " of " + table
        + (count == 1 ? " points" : " point") + " at no row of " + parent,
        "every row of " + table + " points at a row of " + parent, changedBefore, false, null);
  }

  private DataAnswer fits(DataQuestion.Fits fits, Table table, Map<String, String> columns, String changedBefore)
      throws SQLException, NotYet {
    String column = quoted(table, columns, List.of(fits.column())).get(0);
    String current = columns.get(catalog.column(columns, fits.column()).orElseThrow());
    TypeBound bound = TypeBound.of(fits.type());
    if (bound == null) {
      return DataAnswer.notChecked("whether every value fits " + fits.type() + " is not something the plan counts");
    }
    if (!bound.checks(current)) {
      return DataAnswer.notChecked(table + "." + fits.column() + " is " + current + " now, and whether its values convert"
          + " to " + fits.type() + " is not something the plan counts");
    }
    long count = session.count("SELECT count(*) FROM " + qualified(table) + " WHERE " + bound.condition(column),
        bound.parameters());
    String name = table + "." + fits.column();
    return DataAnswer.decided(count, DataAnswer.count(count, "value", "values") + " of " + name
        + (count == 1 ? " does" : " do") + " not fit " + fits.type(), "every value of " + name + " fits " + fits.type(),
        changedBefore, !strict(), "which the server cuts to fit");
  }

  private Table table(Name name) throws SQLException, NotYet {
    Optional<Table> table = catalog.table(name, false);
    if (table.isEmpty()) {
      throw new NotYet(name.toString());
    }
    return table.get();
  }

  /** The columns, quoted as the catalog names them; one the table does not have yet is not checked. */
  private List<String> quoted(Table table, Map<String, String> columns, List<String> wanted) throws NotYet {
    List<String> names = new ArrayList<>();
    for (String column : wanted) {
      String name = catalog.column(columns, column).orElse(null);
      if (name == null) {
        throw new NotYet(table + "." + column);
      }
      names.add(SqlIdentifier.quoted(name, session.postgres()));
    }
    return names;
  }

  private String qualified(Table table) {
    return SqlIdentifier.quoted(table.schema(), session.postgres()) + "." + SqlIdentifier.quoted(table.name(), session.postgres());
  }

  private boolean strict() throws SQLException {
    if (strict == null) {
      strict = session.strict();
    }
    return strict;
  }
}
