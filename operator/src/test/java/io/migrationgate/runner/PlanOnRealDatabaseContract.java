package io.migrationgate.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.PlannedState;
import io.migrationgate.contract.RunReport;
import io.migrationgate.contract.RunReport.Finding;
import io.migrationgate.contract.RunReport.HistoryEntry;
import io.migrationgate.contract.RunReport.PendingMigration;
import io.migrationgate.contract.RunReport.RiskFinding;
import io.migrationgate.contract.RunnerCommand;
import io.migrationgate.contract.ScriptsDigest;
import io.migrationgate.runner.RunnerInvocation.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the {@code plan} program and the stale-plan stop of {@code run} promise on every supported
 * database, against a real server. Each database's runner test holds a {@code @Nested} subclass,
 * so the server started for that test serves these too.
 */
abstract class PlanOnRealDatabaseContract extends OnRealDatabase {

  static final String PLACEHOLDERS = RunnerOnRealDatabaseContract.PLACEHOLDERS;

  /**
   * Leaves the history of the database at {@code url} with {@code V1__create_orders.sql} applied
   * and {@code V2__half_done.sql} recorded as failed, the way that database comes to such a row.
   */
  abstract void leaveAFailedRow(String url, Path scripts) throws Exception;

  static Map<String, String> fourScripts() {
    Map<String, String> scripts = new LinkedHashMap<>(RunnerOnRealDatabaseContract.threeScripts());
    scripts.put("V4__add_total.sql", "alter table ${prefix}orders add total int;\n");
    return scripts;
  }

  /** Migrates as the migrator, asserting it worked. */
  void migrate(Path scripts, String url, String... more) throws IOException {
    String[] args = new String[more.length + 3];
    args[0] = "--scripts=" + scripts;
    args[1] = "--url=" + url;
    args[2] = "--placeholders=" + PLACEHOLDERS;
    System.arraycopy(more, 0, args, 3, more.length);
    Result result = runner(args);
    assertThat(result.exitCode()).as(result.stderr()).isZero();
  }

  @Test
  void aUserWhoCanOnlyReadPlansAndSeesTheHistoryThePendingScriptsAndTheCurrentVersion() throws Exception {
    String url = database().newDatabaseUrl();
    Path scripts = scripts(fourScripts());
    migrate(scripts, url, "--target=2");
    Map<String, String> reader = database().newReadOnlyUser(url);
    assertThatThrownBy(() -> write(url, reader, "create table proof (id int)"))
        .as("the reader really cannot create anything").isInstanceOf(SQLException.class);
    String before = fingerprint(url);

    Result result = plan(reader, "--scripts=" + scripts, "--url=" + url, "--placeholders=" + PLACEHOLDERS,
        "--expected-digest=" + ScriptsDigest.of(fourScripts()));

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    RunReport report = result.report();
    assertThat(report.program()).isEqualTo("plan");
    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.historyTableExists()).isTrue();
    assertThat(report.schemaVersionBefore()).isEqualTo("2");
    assertThat(report.history())
        .extracting(HistoryEntry::version, HistoryEntry::script, HistoryEntry::success)
        .containsExactly(tuple("1", "V1__create_orders.sql", true), tuple("2", "V2__seed_orders.sql", true));
    assertThat(report.history()).allMatch(entry -> entry.checksum() != null);
    assertThat(report.pending())
        .extracting(PendingMigration::version, PendingMigration::description, PendingMigration::script)
        .containsExactly(tuple("3", "add status", "V3__add_status.sql"), tuple("4", "add total", "V4__add_total.sql"));
    assertThat(report.pending()).allMatch(pending -> pending.checksum() != null);
    assertThat(report.pendingTotal()).isEqualTo(2);
    assertThat(report.findings()).isEmpty();
    assertThat(report.plannedState()).isEqualTo(PlannedState.of("2", report.history()).toString());
    assertThat(report.message()).startsWith("2 pending (V3__add_status.sql .. V4__add_total.sql) on "
        + report.databaseProduct() + " " + report.databaseVersion() + ", now at version 2; no findings; review: risk ");
    assertThat(result.compactReport()).isEqualTo(report);
    assertThat(result.stderr()).contains("(read-only)");
    assertThat(fingerprint(url)).as("the plan changed nothing").isEqualTo(before);
  }

  @Test
  void aPlanOnAnEmptyDatabaseCreatesNoSchemaAndNoHistoryTable() throws Exception {
    String url = database().newDatabaseUrl();
    String before = fingerprint(url);

    // As the migrator, who could create both: only the plan's own restraint keeps them away.
    Result result = plan("--scripts=" + scripts(fourScripts()), "--url=" + url, "--placeholders=" + PLACEHOLDERS,
        "--schemas=plan_app");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    RunReport report = result.report();
    assertThat(report.historyTableExists()).isFalse();
    assertThat(report.history()).isEmpty();
    assertThat(report.historyTotal()).isZero();
    assertThat(report.schemaVersionBefore()).isNull();
    assertThat(report.pending()).extracting(PendingMigration::version).containsExactly("1", "2", "3", "4");
    assertThat(report.plannedState()).isEqualTo("version=;history=sha256:" + ScriptsDigest.ofContent(""));
    assertThat(report.message()).startsWith("4 pending (V1__create_orders.sql .. V4__add_total.sql) on ")
        .contains("no migration applied (no history table flyway_schema_history yet");
    assertThat(fingerprint(url)).as("catalog and history unchanged").isEqualTo(before);
    assertThat(database().tableExists(url, "flyway_schema_history")).isFalse();
  }

  @Test
  void aConnectionOfThePlanRefusesToWriteEvenForAUserWhoMay() throws Exception {
    String url = database().newDatabaseUrl();
    TimeboxedDataSource readOnly = new TimeboxedDataSource(url, Optional.of(TestDatabase.MIGRATOR),
        Optional.of(TestDatabase.MIGRATOR_PASSWORD), Duration.ofSeconds(10), true);

    try (Connection connection = readOnly.getConnection(); Statement statement = connection.createStatement()) {
      assertThat(connection.isReadOnly()).isTrue();
      assertThatThrownBy(() -> statement.execute("create table sneaky (id int)"))
          .isInstanceOf(SQLException.class)
          .hasMessageMatching("(?is).*read[- ]only transaction.*");
    }
    assertThat(database().tableExists(url, "sneaky")).isFalse();
  }

  @Test
  void theStepsOfAPlanShareOneSessionUntilThePlanEnds() throws Exception {
    String url = database().newDatabaseUrl();
    TimeboxedDataSource readOnly = new TimeboxedDataSource(url, Optional.of(TestDatabase.MIGRATOR),
        Optional.of(TestDatabase.MIGRATOR_PASSWORD), Duration.ofSeconds(10), true);

    Connection probe = readOnly.getConnection();
    String session = session(probe);
    probe.close();
    Connection flyway = readOnly.getConnection();

    assertThat(session(flyway)).as("the next step is served by the same server session").isEqualTo(session);
    assertThat(flyway.isReadOnly()).isTrue();
    readOnly.close();
    assertThat(flyway.isClosed()).as("closing the source ends the session").isTrue();
  }

  private static String session(Connection connection) throws SQLException {
    boolean postgres = connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
    try (Statement statement = connection.createStatement();
        java.sql.ResultSet row = statement.executeQuery(postgres ? "select pg_backend_pid()" : "select connection_id()")) {
      row.next();
      return row.getString(1);
    }
  }

  @Test
  void anAppliedScriptEditedSinceIsAChecksumDriftFindingNamingIt() throws Exception {
    String url = database().newDatabaseUrl();
    Path scripts = scripts(RunnerOnRealDatabaseContract.threeScripts());
    migrate(scripts, url);
    String stateBeforeTheEdit = plan("--scripts=" + scripts, "--url=" + url, "--placeholders=" + PLACEHOLDERS)
        .report().plannedState();
    Files.writeString(scripts.resolve("V1__create_orders.sql"),
        "create table ${prefix}orders (id bigint primary key, note varchar(100));\n");

    Result result = plan("--scripts=" + scripts, "--url=" + url, "--placeholders=" + PLACEHOLDERS);

    assertThat(result.exitCode()).as("findings are the plan's content, not its failure").isZero();
    RunReport report = result.report();
    assertThat(report.findings()).extracting(Finding::kind, Finding::version, Finding::script)
        .containsExactly(tuple(Finding.CHECKSUM_DRIFT, "1", "V1__create_orders.sql"));
    assertThat(report.findings().get(0).message()).containsIgnoringCase("checksum").doesNotContain("repair");
    assertThat(report.plannedState()).as("the database's history did not change, only the script")
        .isEqualTo(stateBeforeTheEdit);
    assertThat(report.message()).contains("; 1 finding: CHECKSUM_DRIFT V1__create_orders.sql; review: risk none");
  }

  @Test
  void aPlanReviewsThePendingScriptsAndOnlyThem() throws Exception {
    String url = database().newDatabaseUrl();
    Map<String, String> scripts = new LinkedHashMap<>(RunnerOnRealDatabaseContract.threeScripts());
    scripts.put("V1__create_orders.sql", "create table ${prefix}orders (id int primary key, note varchar(100));\n"
        + "delete from ${prefix}orders;\n");
    scripts.put("V5__purge.sql", "-- V5: start afresh\n\ndelete from ${prefix}orders;\n"
        + "drop table ${prefix}audit; -- migration-gate:allow drop-table the audit log moved to V4's table\n");
    Path dir = scripts(scripts);
    migrate(dir, url, "--target=3");

    Result result = plan("--scripts=" + dir, "--url=" + url, "--placeholders=" + PLACEHOLDERS);

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    RunReport report = result.report();
    assertThat(report.riskFindings()).as("V1's delete was applied long ago: only V5 is reviewed")
        .filteredOn(f -> !f.rule().equals("pg-missing-lock-timeout"))
        .extracting(RiskFinding::rule, RiskFinding::script, RiskFinding::line, RiskFinding::suppressed)
        .containsExactly(tuple("delete-without-where", "V5__purge.sql", 3, null),
            tuple("drop-table", "V5__purge.sql", 4, "the audit log moved to V4's table"));
    assertThat(report.riskFindings().get(0).message()).startsWith("deletes every row of shop_orders; shop_orders holds ");
    assertThat(report.riskLevel()).isEqualTo("destructive");
    assertThat(report.riskDigest()).startsWith("sha256:");
    assertThat(report.message()).contains("; review: risk destructive: ").contains("delete-without-where V5__purge.sql:3")
        .contains("1 allowed by the scripts' comments");
    assertThat(result.compactReport().riskLevel()).isEqualTo("destructive");
    assertThat(result.compactReport().riskDigest()).isEqualTo(report.riskDigest());
  }

  @Test
  void aFailedMigrationInTheHistoryIsAFailedFinding() throws Exception {
    String url = database().newDatabaseUrl();
    Map<String, String> scripts = new LinkedHashMap<>();
    scripts.put("V1__create_orders.sql", "create table orders (id int primary key);\n");
    scripts.put("V2__half_done.sql", "create table half_done (id int);\n\ncreat table broken (id int);\n");
    Path dir = scripts(scripts);
    leaveAFailedRow(url, dir);

    Result result = plan("--scripts=" + dir, "--url=" + url);

    assertThat(result.exitCode()).isZero();
    RunReport report = result.report();
    assertThat(report.history()).extracting(HistoryEntry::script, HistoryEntry::success)
        .containsExactly(tuple("V1__create_orders.sql", true), tuple("V2__half_done.sql", false));
    assertThat(report.findings()).extracting(Finding::kind, Finding::script)
        .containsExactly(tuple(Finding.FAILED, "V2__half_done.sql"));
    assertThat(report.message()).contains("1 finding: FAILED V2__half_done.sql");
  }

  @Test
  void anAppliedScriptNoLongerAmongTheScriptsIsAMissingFindingNamedFromTheHistory() throws Exception {
    String url = database().newDatabaseUrl();
    Path scripts = scripts(RunnerOnRealDatabaseContract.threeScripts());
    migrate(scripts, url);
    Files.delete(scripts.resolve("V2__seed_orders.sql"));

    RunReport report = plan("--scripts=" + scripts, "--url=" + url, "--placeholders=" + PLACEHOLDERS).report();

    assertThat(report.findings()).extracting(Finding::kind, Finding::version, Finding::script)
        .containsExactly(tuple(Finding.MISSING, "2", "V2__seed_orders.sql"));
  }

  @Test
  void aPendingScriptOlderThanTheCurrentVersionIsAnOutOfOrderFinding() throws Exception {
    String url = database().newDatabaseUrl();
    Path scripts = scripts(RunnerOnRealDatabaseContract.threeScripts());
    migrate(scripts, url);
    Files.writeString(scripts.resolve("V2_5__late.sql"), "create table late (id int);\n");

    RunReport report = plan("--scripts=" + scripts, "--url=" + url, "--placeholders=" + PLACEHOLDERS).report();

    assertThat(report.findings()).extracting(Finding::kind, Finding::version, Finding::script)
        .containsExactly(tuple(Finding.OUT_OF_ORDER, "2.5", "V2_5__late.sql"));
    assertThat(report.pending()).as("a run would not apply it").isEmpty();
  }

  @Test
  void nothingPendingIsAPlanWithPendingTotalZero() throws Exception {
    String url = database().newDatabaseUrl();
    Path scripts = scripts(RunnerOnRealDatabaseContract.threeScripts());
    migrate(scripts, url);

    Result result = plan("--scripts=" + scripts, "--url=" + url, "--placeholders=" + PLACEHOLDERS);

    assertThat(result.exitCode()).isZero();
    assertThat(result.report().pendingTotal()).isZero();
    assertThat(result.report().pending()).isEmpty();
    assertThat(result.report().schemaVersionBefore()).isEqualTo("3");
    assertThat(result.report().message()).startsWith("nothing pending on ").contains("now at version 3; no findings");
    assertThat(result.compactReport().pendingTotal()).isZero();
  }

  @Test
  void aPlanRefusesScriptsOtherThanTheApprovedOnesLikeARun() throws Exception {
    String other = ScriptsDigest.of(Map.of("V1__other.sql", "select 1;"));

    Result result = plan("--scripts=" + scripts(fourScripts()), "--expected-digest=" + other,
        "--url=" + database().newDatabaseUrl());

    assertThat(result.exitCode()).isEqualTo(10);
    assertThat(result.report().program()).isEqualTo("plan");
    assertThat(result.report().outcome()).isEqualTo(Outcome.DIGEST_MISMATCH);
    assertThat(result.report().plannedState()).isNull();
  }

  /** V1 and V2 of {@link #fourScripts()} applied to the database at {@code url}, then planned. */
  RunReport plannedAtVersion2(Path scripts, String url) throws IOException {
    migrate(scripts, url, "--target=2");
    return plan("--scripts=" + scripts, "--url=" + url, "--placeholders=" + PLACEHOLDERS).report();
  }

  @Test
  void aRunWhoseDatabaseMovedSinceThePlanAppliesNothingAndSaysWhatChanged() throws Exception {
    String url = database().newDatabaseUrl();
    Path scripts = scripts(fourScripts());
    RunReport planned = plannedAtVersion2(scripts, url);
    // Someone else applies V3 between approval and launch.
    migrate(scripts, url, "--target=3");
    String before = fingerprint(url);

    Result result = runner("--scripts=" + scripts, "--url=" + url, "--placeholders=" + PLACEHOLDERS,
        "--expected-state=" + planned.plannedState());

    assertThat(result.exitCode()).isEqualTo(15);
    RunReport report = result.report();
    assertThat(report.outcome()).isEqualTo(Outcome.PLAN_STALE);
    assertThat(report.applied()).isEmpty();
    PlannedState plannedState = PlannedState.parse(planned.plannedState());
    assertThat(report.message())
        .startsWith("the database moved since the plan: planned at version 2 (history "
            + plannedState.historyDigest().substring(0, 19) + "..), now at version 3 (history sha256:")
        .contains("; newly applied: V3__add_status.sql; nothing was applied");
    assertThat(fingerprint(url)).as("nothing applied, V4 not either").isEqualTo(before);
    assertThat(result.compactReport().outcome()).isEqualTo(Outcome.PLAN_STALE);
  }

  @Test
  void aRunStillInThePlannedStateMigrates() throws Exception {
    String url = database().newDatabaseUrl();
    Path scripts = scripts(fourScripts());
    RunReport planned = plannedAtVersion2(scripts, url);

    Result result = runner("--scripts=" + scripts, "--url=" + url, "--placeholders=" + PLACEHOLDERS,
        "--expected-state=" + planned.plannedState());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.report().applied()).extracting(RunReport.AppliedMigration::script)
        .containsExactly("V3__add_status.sql", "V4__add_total.sql");
  }

  @Test
  void aPlanMadeOnAnEmptyDatabaseIsStaleOnceSomethingWasApplied() throws Exception {
    String url = database().newDatabaseUrl();
    Path scripts = scripts(fourScripts());
    RunReport planned = plan("--scripts=" + scripts, "--url=" + url, "--placeholders=" + PLACEHOLDERS).report();
    migrate(scripts, url, "--target=1");

    Result result = runner("--scripts=" + scripts, "--url=" + url, "--placeholders=" + PLACEHOLDERS,
        "--expected-state=" + planned.plannedState());

    assertThat(result.exitCode()).isEqualTo(15);
    assertThat(result.report().message())
        .contains("planned with no migration applied (history sha256:e3b0c44298fc..), now at version 1")
        .contains("newly applied: V1__create_orders.sql");
  }

  private static void write(String url, Map<String, String> credentials, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, credentials.get(RunnerCommand.USERNAME_ENV),
            credentials.get(RunnerCommand.PASSWORD_ENV));
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /**
   * The catalog's counts of schemas, tables and columns, and every history row with every column,
   * as the migrator sees them: equal before and after means nothing was created or written.
   */
  String fingerprint(String url) throws SQLException {
    StringBuilder text = new StringBuilder();
    try (Connection connection = DriverManager.getConnection(url, TestDatabase.MIGRATOR, TestDatabase.MIGRATOR_PASSWORD);
        Statement statement = connection.createStatement()) {
      for (String catalog : new String[] {"schemata", "tables", "columns"}) {
        try (ResultSet rows = statement.executeQuery("select count(*) from information_schema." + catalog)) {
          rows.next();
          text.append(catalog).append('=').append(rows.getLong(1)).append('\n');
        }
      }
      if (database().tableExists(url, "flyway_schema_history")) {
        try (ResultSet rows = statement.executeQuery("select * from flyway_schema_history order by installed_rank")) {
          ResultSetMetaData columns = rows.getMetaData();
          while (rows.next()) {
            for (int i = 1; i <= columns.getColumnCount(); i++) {
              text.append(rows.getString(i)).append('|');
            }
            text.append('\n');
          }
        }
      }
    }
    return text.toString();
  }
}
