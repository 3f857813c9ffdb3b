package io.migrationgate.runner;

import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.PlannedState;
import io.migrationgate.contract.RunReport.Finding;
import io.migrationgate.contract.RunReport.HistoryEntry;
import io.migrationgate.contract.RunReport.PendingMigration;
import io.migrationgate.contract.RunnerCommand;
import io.migrationgate.runner.ConnectionProbe.DatabaseIdentity;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * What the database holds and what a run would do to it, read without changing anything: the
 * history, the scripts a run would apply, what validation would stop the run on, and the {@link
 * PlannedState} an approval of this plan is bound to.
 */
record LivePlan(
    boolean historyTableExists,
    PlannedState state,
    List<HistoryEntry> history,
    List<PendingMigration> pending,
    List<Finding> findings,
    List<String> aboveTarget,
    RunnerCommand command) {

  private static final int FINDINGS_NAMED = 3;

  static LivePlan read(FlywaySteps flyway, DataSource dataSource, RunnerCommand command) throws RunnerFailure {
    boolean exists = historyTableExists(dataSource, command);
    HistorySnapshot snapshot = flyway.history();
    List<HistoryEntry> history = snapshot.entries();
    return new LivePlan(exists, PlannedState.of(snapshot.currentVersion(), history), history,
        snapshot.pending(), flyway.findings(snapshot), snapshot.aboveTarget(), command);
  }

  /** E.g. "2 pending (V3__a.sql .. V4__b.sql) on PostgreSQL 17.6, now at version 2; no findings". */
  String describe(DatabaseIdentity database) {
    StringBuilder text = new StringBuilder();
    if (pending.isEmpty()) {
      text.append("nothing pending");
    } else {
      text.append(pending.size()).append(" pending (")
          .append(RunMessages.range(pending.stream().map(PendingMigration::script).toList())).append(")");
    }
    text.append(" on ").append(database.product()).append(" ").append(database.version()).append(", ")
        .append(state.currentVersion() == null ? "no migration applied" : "now at version " + state.currentVersion());
    if (!historyTableExists) {
      text.append(" (no history table ").append(command.table()).append(" yet: the run creates it)");
    }
    if (!aboveTarget.isEmpty()) {
      text.append("; ").append(aboveTarget.size()).append(" above target ").append(command.target())
          .append(" not planned");
    }
    if (findings.isEmpty()) {
      text.append("; no findings");
    } else {
      text.append("; ").append(findings.size()).append(findings.size() == 1 ? " finding: " : " findings: ");
      for (int i = 0; i < Math.min(FINDINGS_NAMED, findings.size()); i++) {
        Finding finding = findings.get(i);
        text.append(i == 0 ? "" : ", ").append(finding.kind()).append(" ")
            .append(finding.script() != null ? finding.script() : "version " + finding.version());
      }
      text.append(findings.size() > FINDINGS_NAMED ? ", ..." : "");
    }
    return text.toString();
  }

  /**
   * Where the run's unqualified names go: the first of {@code --schemas} (Flyway makes it current
   * for the scripts), else where the connection starts: PostgreSQL's current schema, MySQL's and
   * MariaDB's database (their catalog).
   */
  static String defaultSchema(Connection connection, RunnerCommand command, boolean postgres) throws SQLException {
    return !command.schemas().isEmpty() ? command.schemas().get(0)
        : postgres ? connection.getSchema() : connection.getCatalog();
  }

  /**
   * Looked up in the catalog, not by asking Flyway, which would create the table on the way. The
   * table lives in the {@link #defaultSchema}.
   */
  static boolean historyTableExists(DataSource dataSource, RunnerCommand command) throws RunnerFailure {
    try (Connection connection = dataSource.getConnection()) {
      boolean postgres =
          connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
      String container = defaultSchema(connection, command, postgres);
      try (ResultSet tables = postgres
          ? connection.getMetaData().getTables(null, container, command.table(), null)
          : connection.getMetaData().getTables(container, null, command.table(), null)) {
        // The name is a LIKE pattern ('_' matches any character), so only an exact name counts.
        while (tables.next()) {
          if (command.table().equals(tables.getString("TABLE_NAME"))) {
            return true;
          }
        }
        return false;
      }
    } catch (SQLException e) {
      throw new RunnerFailure(ConnectionFailures.outcomeOfRead(e, Outcome.VALIDATION_FAILED),
          "cannot look up the schema history table "
          + command.table() + " in the catalog: " + ConnectionFailures.safeMessage(e), e);
    }
  }
}
