package io.migrationgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.RunReport;
import io.migrationgate.contract.RunnerCommand;
import io.migrationgate.runner.RunnerInvocation.Result;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresRunnerTest extends RunnerOnRealDatabaseContract {

  private static EmbeddedPostgresDatabase postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgresDatabase.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  TestDatabase database() {
    return postgres;
  }

  @Nested
  class ImagePlans extends ImagePlanOnRealDatabaseContract {

    @Override
    TestDatabase database() {
      return postgres;
    }
  }

  @Nested
  class Plans extends PlanOnRealDatabaseContract {

    @Override
    TestDatabase database() {
      return postgres;
    }

    /**
     * Flyway on PostgreSQL rolls a failed script back together with its history row (even one that
     * cannot run in a transaction), so the failed row is written the way older tools and manual
     * runs leave one.
     */
    @Override
    void leaveAFailedRow(String url, Path scripts) throws Exception {
      migrate(scripts, url, "--target=1");
      try (var connection = java.sql.DriverManager.getConnection(url, TestDatabase.MIGRATOR, TestDatabase.MIGRATOR_PASSWORD);
          var statement = connection.createStatement()) {
        statement.execute("insert into flyway_schema_history (installed_rank, version, description, type, script,"
            + " checksum, installed_by, execution_time, success)"
            + " values (2, '2', 'half done', 'SQL', 'V2__half_done.sql', 1, 'migrator', 5, false)");
      }
    }
  }

  @Nested
  class RiskExamples extends RiskExamplesContract {

    @Override
    TestDatabase database() {
      return postgres;
    }
  }

  @Nested
  class DataChecks extends DataChecksOnRealDatabaseContract {

    @Override
    TestDatabase database() {
      return postgres;
    }

    @Override
    String setNotNull(String table, String column, String type) {
      return "alter table " + table + " alter column " + column + " set not null";
    }

    @Override
    String changeType(String table, String column, String type) {
      return "alter table " + table + " alter column " + column + " type " + type;
    }

    @Override
    String lockingStatement() {
      return "create index users_by_email on users (email)";
    }

    @Override
    String lockingRule() {
      return "pg-index-without-concurrently";
    }

    @Override
    long[] catalogSize(String url, String table) throws java.sql.SQLException {
      execute(url, "analyze " + table);
      return new long[] {
          Long.parseLong(postgres.queryAsMigrator(url, "select reltuples::bigint from pg_class where relname = '" + table + "'")),
          Long.parseLong(postgres.queryAsMigrator(url, "select pg_total_relation_size('" + table + "')"))};
    }

    @Override
    String oddTable() {
      return "create table \"Odd\"\"`Name\" (\"E e\" varchar(10));\ninsert into \"Odd\"\"`Name\" values ('x'), ('x');\n";
    }

    @Override
    String oddIndex() {
      return "create unique index odd_e on \"Odd\"\"`Name\" (\"E e\");\n";
    }

    @Override
    String oddName() {
      return "Odd\"`Name";
    }

    @Test
    void aTableThePlansUserMayNotReadIsNotChecked() throws Exception {
      String url = postgres.newDatabaseUrl();
      Path dir = scripts(Map.of("V1__seed.sql", SEED, "V2__unique_code.sql",
          "create unique index secrets_code on secrets (code);\n"));
      assertThat(runner("--scripts=" + dir, "--url=" + url, "--target=1").exitCode()).isZero();
      Map<String, String> reader = postgres.newReadOnlyUser(url);
      // created after the reader's grant, so the reader may read neither its rows nor its columns
      execute(url, "create table secrets (id int primary key, code text)");
      execute(url, "insert into secrets values (1, 'a'), (2, 'a')");

      RunReport report = plan(reader, "--scripts=" + dir, "--url=" + url).report();

      assertAnswer(report, "data-unique",
          "not checked: the catalog shows the plan's user no column of secrets (no privilege on it?)", "low");
    }

    @Override
    String lockTable(String table) {
      return "lock table " + table + " in access exclusive mode";
    }

    @Override
    String allowLocks() {
      return "-- migration-gate:allow pg-index-without-concurrently the table is small\n"
          + "-- migration-gate:allow pg-missing-lock-timeout the table is small\n";
    }

    @Override
    boolean indexExists(String url, String index) throws java.sql.SQLException {
      return !"0".equals(postgres.queryAsMigrator(url, "select count(*) from pg_indexes where indexname = '" + index + "'"));
    }
  }

  /**
   * The plan started as a Job starts it, as its own JVM with the Job's options and the jar's main
   * class, rather than called in-process: what it logs and where, and its exit code. The archive
   * option names a file that does not exist, as on a machine without the image's archive.
   */
  @Nested
  class AsItsOwnProcess {

    @TempDir Path temp;

    @Test
    void printsOnlyTheReportOnStdoutAndFlywaysLinesOnStderr() throws Exception {
      String url = postgres.newDatabaseUrl();
      assertThat(runner("--scripts=" + scripts(Map.of("V1__create_orders.sql", "create table orders (id int);\n")),
          "--url=" + url).exitCode()).isZero();
      Path scripts = scripts(Map.of("V1__create_orders.sql", "create table orders (id int);\n",
          "V2__add_status.sql", "alter table orders add status text;\n"));

      Result plan = RunnerInvocation.inItsOwnJvm("plan", temp, postgres.migratorCredentials(), "--scripts=" + scripts,
          "--url=" + url);

      assertThat(plan.exitCode()).as(plan.stderr()).isZero();
      assertThat(plan.stdout().lines()).as("stdout carries the report line and nothing else").hasSize(1);
      RunReport report = plan.report();
      assertThat(report.program()).isEqualTo(RunReport.PLAN_PROGRAM);
      assertThat(report.pending()).extracting(RunReport.PendingMigration::script).containsExactly("V2__add_status.sql");
      assertThat(plan.compactReport()).isEqualTo(report);
      assertThat(plan.stderr().lines()).as("no line from the JVM or logback itself")
          .allMatch(line -> line.startsWith(Progress.PREFIX))
          .anyMatch(line -> line.startsWith(Progress.PREFIX + "flyway: Successfully validated 2 migrations"));
    }

    @Test
    void exitsWithTheOutcomesCodeWhenItFails() throws Exception {
      String url = postgres.newDatabaseUrl();
      Path scripts = scripts(Map.of("V1__create_orders.sql", "create table orders (id int);\n"));

      Result plan = RunnerInvocation.inItsOwnJvm("plan", temp, Map.of(RunnerCommand.USERNAME_ENV, TestDatabase.MIGRATOR,
          RunnerCommand.PASSWORD_ENV, "wrong"), "--scripts=" + scripts, "--url=" + url);

      assertThat(plan.exitCode()).as(plan.stderr()).isEqualTo(Outcome.CREDENTIALS_REFUSED.exitCode());
      assertThat(plan.stdout().lines()).hasSize(1);
      assertThat(plan.report().outcome()).isEqualTo(Outcome.CREDENTIALS_REFUSED);
    }
  }

  /** The check program of a MigrationTarget's check Job: it connects read-only and nothing else. */
  @Nested
  class Checks {

    @TempDir
    Path temp;

    @Test
    void aTargetsCheckConnectsWithoutScripts() throws Exception {
      Result check = RunnerInvocation.check(temp.resolve("termination-log"), postgres.migratorCredentials(),
          "--url=" + postgres.newDatabaseUrl());

      assertThat(check.exitCode()).as(check.stderr()).isZero();
      assertThat(check.compactReport().outcome()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(check.compactReport().message()).startsWith("reached PostgreSQL").endsWith("read-only");
    }

    @Test
    void aPasswordGivenAsTheUserNameIsNotInTheChecksReport() throws Exception {
      String password = "Pa55-" + TestDatabase.MIGRATOR_PASSWORD;
      Result check = RunnerInvocation.check(temp.resolve("termination-log"), Map.of(
          RunnerCommand.USERNAME_ENV, password, RunnerCommand.PASSWORD_ENV, password),
          "--url=" + postgres.newDatabaseUrl(), "--credentials-secret=orders-db:password:password");

      assertThat(check.exitCode()).isEqualTo(Outcome.CREDENTIALS_REFUSED.exitCode());
      assertThat(check.compactReport().message()).contains("orders-db").doesNotContain(password);
      assertThat(check.stdout() + check.stderr() + check.compactJson()).doesNotContain(password);
    }
  }

  @Override
  String syntaxErrorWords() {
    return "syntax error";
  }

  @Test
  void aFailedScriptIsRolledBackWholeBecausePostgresHasTransactionalDdl() throws Exception {
    String url = postgres.newDatabaseUrl();
    Map<String, String> scripts = new LinkedHashMap<>();
    scripts.put("V1__create_orders.sql", "create table orders (id int primary key);\n");
    scripts.put(
        "V2__half_done.sql",
        "create table half_done (id int);\ninsert into orders values (1);\ninsert into orders values (1);\n");

    Result result = runner("--scripts=" + scripts(scripts), "--url=" + url);

    assertThat(result.exitCode()).isEqualTo(13);
    assertThat(result.report().message())
        .contains("V2__half_done.sql at line 3")
        .contains("duplicate key")
        .contains("the failed script was rolled back");
    assertThat(postgres.tableExists(url, "half_done")).isFalse();
    assertThat(postgres.queryAsMigrator(url, "select count(*) from orders")).isEqualTo("0");
    assertThat(result.report().schemaVersionAfter()).isEqualTo("1");
  }

  @Test
  void aVerifyQueryCannotWriteBecauseItRunsReadOnly() throws Exception {
    String url = postgres.newDatabaseUrl();
    String verify =
        "[{\"name\":\"sneaky write\",\"sql\":\"insert into shop_orders (id, note) values (2, 'x') returning id\",\"expect\":\"2\"}]";

    Result result =
        runner("--scripts=" + scripts(THREE_SCRIPTS), "--url=" + url,
            "--placeholders=" + PLACEHOLDERS, "--verify=" + verify);

    assertThat(result.exitCode()).isEqualTo(14);
    assertThat(result.report().verification().get(0).error()).contains("read-only transaction");
    assertThat(postgres.queryAsMigrator(url, "select count(*) from shop_orders")).isEqualTo("1");
  }

  @Test
  void aSlowVerifyQueryIsCutOffAtTheVerifyTimeout() throws Exception {
    String url = postgres.newDatabaseUrl();
    String verify = "[{\"name\":\"slow\",\"sql\":\"select pg_sleep(10)::text\",\"expect\":\"\"}]";

    Result result =
        runner("--scripts=" + scripts(THREE_SCRIPTS), "--url=" + url,
            "--placeholders=" + PLACEHOLDERS, "--verify=" + verify, "--verify-timeout=1s");

    assertThat(result.exitCode()).isEqualTo(14);
    assertThat(result.report().verification().get(0).error()).containsIgnoringCase("cancel");
    assertThat(result.elapsed()).isLessThan(java.time.Duration.ofSeconds(8));
  }

  @Test
  void baselinesAnExistingSchemaAndAppliesOnlyTheScriptsAboveTheBaseline() throws Exception {
    String url = postgres.newDatabaseUrl();
    try (var connection = java.sql.DriverManager.getConnection(url, TestDatabase.MIGRATOR, TestDatabase.MIGRATOR_PASSWORD);
        var statement = connection.createStatement()) {
      statement.execute("create table legacy (id int)");
    }
    Map<String, String> scripts = new LinkedHashMap<>();
    scripts.put("V1__legacy.sql", "create table legacy (id int);\n");
    scripts.put("V2__after_baseline.sql", "create table after_baseline (id int);\n");

    Result result =
        runner("--scripts=" + scripts(scripts), "--url=" + url,
            "--baseline-on-migrate=true", "--baseline-version=1");

    assertThat(result.exitCode()).isZero();
    assertThat(result.report().applied())
        .extracting(io.migrationgate.contract.RunReport.AppliedMigration::script)
        .containsExactly("V2__after_baseline.sql");
    assertThat(result.report().schemaVersionAfter()).isEqualTo("2");
    assertThat(result.report().message()).contains("baselined the existing schema at version 1");
  }

  @Test
  void keepsTheHistoryTableInTheFirstNamedSchemaUnderTheGivenName() throws Exception {
    String url = postgres.newDatabaseUrl();

    Result result =
        runner("--scripts=" + scripts(THREE_SCRIPTS), "--url=" + url,
            "--placeholders=" + PLACEHOLDERS, "--schemas=app", "--table=mg_history");

    assertThat(result.exitCode()).isZero();
    assertThat(postgres.queryAsMigrator(url, "select count(*) from app.mg_history where success and type = 'SQL'"))
        .isEqualTo("3");
    assertThat(result.report().applied()).as("Flyway's schema-creation row is no script").hasSize(3);
    assertThat(postgres.queryAsMigrator(url, "select count(*) from app.shop_orders")).isEqualTo("1");
  }

  @Test
  void aScriptMayRunLongerThanTheConnectTimeout() throws Exception {
    String url = postgres.newDatabaseUrl();
    Map<String, String> scripts = Map.of("V1__slow.sql", "select pg_sleep(2.5);\n");

    Result result = runner("--scripts=" + scripts(scripts), "--url=" + url, "--connect-timeout=1s");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.report().applied()).hasSize(1);
  }

  @Test
  void aMisnamedScriptStopsTheRunInsteadOfBeingSkippedAndOtherFilesAreIgnored() throws Exception {
    String url = postgres.newDatabaseUrl();
    Map<String, String> scripts = new LinkedHashMap<>();
    scripts.put("V1__create_orders.sql", "create table orders (id int);\n");
    scripts.put("V2_add_status.sql", "alter table orders add status text;\n");
    scripts.put("README.md", "# not a migration\n");

    Result result = runner("--scripts=" + scripts(scripts), "--url=" + url);

    assertThat(result.exitCode()).isEqualTo(12);
    assertThat(result.report().message())
        .startsWith("validation failed: ")
        .contains("V2_add_status.sql")
        .contains("V<version>__<description>.sql");
    assertThat(result.report().scriptCount()).isEqualTo(3);
    assertThat(postgres.tableExists(url, "orders")).isFalse();
  }
}
