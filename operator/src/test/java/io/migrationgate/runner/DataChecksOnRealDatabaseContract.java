package io.migrationgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.RunReport;
import io.migrationgate.contract.RunReport.RiskFinding;
import io.migrationgate.contract.RunnerCommand;
import io.migrationgate.runner.RunnerInvocation.Result;
import io.migrationgate.runner.review.Dialect;
import io.migrationgate.runner.review.ScriptReview;
import io.migrationgate.runner.review.ScriptReview.Review;
import io.migrationgate.runner.review.ScriptReview.Script;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The plan's live data checks and their second asking at launch, against a real server: each
 * data-dependent finding says what the rows decide, and a locking finding how big its table is.
 * Each database's runner test holds a {@code @Nested} subclass.
 */
abstract class DataChecksOnRealDatabaseContract extends OnRealDatabase {

  /**
   * users 1 and 2 share an email, 3 has none, 4's is longer than 5 characters; orders 11 and 13
   * point at no customer, and 13's customer_id does not fit a smallint.
   */
  static final String SEED = "create table customers (id int primary key, name varchar(100));\n"
      + "create table users (id int primary key, email varchar(100), note varchar(100));\n"
      + "create table orders (id int primary key, customer_id int);\n"
      + "insert into customers (id, name) values (1, 'one');\n"
      + "insert into users (id, email, note) values (1, 'a@x', 'n'), (2, 'a@x', 'n'), (3, null, 'n'),"
      + " (4, 'bob@example', 'n');\n"
      + "insert into orders (id, customer_id) values (10, 1), (11, 7), (12, null), (13, 40000);\n";

  /** The statement that makes {@code column} of {@code table} NOT NULL, keeping its type. */
  abstract String setNotNull(String table, String column, String type);

  /** The statement that changes the type of {@code column} of {@code table}. */
  abstract String changeType(String table, String column, String type);

  /** A statement on users that locks it, with the rule the review flags it with. */
  abstract String lockingStatement();

  abstract String lockingRule();

  /** Row estimate and bytes of the table, as the catalog holds them, after the catalog was refreshed. */
  abstract long[] catalogSize(String url, String table) throws SQLException;

  /** A script that makes a table whose name needs quoting, with a duplicate value in its column "E e". */
  abstract String oddTable();

  /** A unique index on that column. */
  abstract String oddIndex();

  /** That table's name as the catalog holds it. */
  abstract String oddName();

  /** Comments allowing the locking findings a unique index on a small table has on this database. */
  abstract String allowLocks();

  /** A plan of {@code pending} on top of {@link #SEED}, applied as V1; the plan's report. */
  RunReport planOnSeed(String url, Map<String, String> pending) throws IOException {
    Map<String, String> scripts = new LinkedHashMap<>();
    scripts.put("V1__seed.sql", SEED);
    scripts.putAll(pending);
    Path dir = scripts(scripts);
    Result migrated = runner("--scripts=" + dir, "--url=" + url, "--target=1");
    assertThat(migrated.exitCode()).as(migrated.stderr()).isZero();
    Result planned = plan("--scripts=" + dir, "--url=" + url);
    assertThat(planned.exitCode()).as(planned.stderr()).isZero();
    assertThat(planned.stderr()).contains(pending.isEmpty() ? "" : "data checks: ");
    return planned.report();
  }

  /** The rule's finding ends with what the data said, and has the severity that makes. */
  static void assertAnswer(RunReport report, String rule, String answer, String severity) {
    RiskFinding finding = finding(report, rule);
    assertThat(finding.message()).endsWith("; " + answer);
    assertThat(finding.severity()).as(rule + " severity").isEqualTo(severity);
  }

  static RiskFinding finding(RunReport report, String rule) {
    return report.riskFindings().stream().filter(f -> f.rule().equals(rule)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + rule + " finding in " + report.riskFindings()));
  }

  @Test
  void duplicatesOfAUniqueIndexAreCountedAndRaiseTheFindingToHigh() throws Exception {
    RunReport report = planOnSeed(database().newDatabaseUrl(), Map.of("V2__unique_email.sql",
        allowLocks() + "create unique index users_email on users (email);\n"));

    assertAnswer(report, "data-unique", "will fail: 1 duplicate value of (email) in users", "high");
    assertThat(report.riskLevel()).as("the data-unique rule alone is low").isEqualTo("high");
    assertThat(report.riskDigest()).as("the approval's digest covers what the data said")
        .isEqualTo(ScriptReview.digest(report.riskFindings()));
    assertThat(report.message()).contains("data-unique V2__unique_email.sql:" + (lines(allowLocks()).size() + 1)
        + " will fail");
  }

  @Test
  void aUniqueIndexTheDataAllowsIsCheckedAndStaysLow() throws Exception {
    RunReport report = planOnSeed(database().newDatabaseUrl(), Map.of("V2__unique_note.sql",
        allowLocks() + "create unique index users_id_note on users (id, note);\n"));

    assertAnswer(report, "data-unique", "checked: no duplicate values of (id, note) in users", "low");
    assertThat(report.riskLevel()).isEqualTo("low");
  }

  @Test
  void nullsOfAColumnMadeNotNullAreCounted() throws Exception {
    RunReport report = planOnSeed(database().newDatabaseUrl(),
        Map.of("V2__email_required.sql", setNotNull("users", "email", "varchar(100)") + ";\n"));

    assertAnswer(report, "data-not-null", "will fail: 1 row of users with email NULL", "high");
  }

  @Test
  void rowsWithoutAParentAreCountedForAForeignKey() throws Exception {
    RunReport report = planOnSeed(database().newDatabaseUrl(), Map.of("V2__orders_customer.sql",
        "alter table orders add constraint orders_customer foreign key (customer_id) references customers (id);\n"));

    assertAnswer(report, "data-foreign-key", "will fail: 2 rows of orders point at no row of customers", "high");
  }

  @Test
  void aForeignKeyToTheParentsPrimaryKeyIsCheckedWithoutColumnsNamed() throws Exception {
    RunReport report = planOnSeed(database().newDatabaseUrl(), Map.of("V2__orders_customer.sql",
        "alter table orders add constraint orders_customer foreign key (customer_id) references customers;\n"));

    assertThat(finding(report, "data-foreign-key").message())
        .endsWith("; will fail: 2 rows of orders point at no row of customers");
  }

  @Test
  void rowsAnEarlierPendingStatementWritesAreNotDecidedByTodaysData() throws Exception {
    RunReport report = planOnSeed(database().newDatabaseUrl(), Map.of("V2__orders_customer.sql",
        "delete from orders where id in (11, 13);\n"
            + "alter table orders add constraint orders_customer foreign key (customer_id) references customers (id);\n"));

    RiskFinding foreignKey = finding(report, "data-foreign-key");
    assertThat(foreignKey.message()).endsWith("; not decided: 2 rows of orders point at no row of customers now, but "
        + "V2__orders_customer.sql:1 changes those rows first");
    assertThat(foreignKey.severity()).isEqualTo("low");
  }

  @Test
  void valuesLongerThanANarrowerVarcharAreCounted() throws Exception {
    RunReport report = planOnSeed(database().newDatabaseUrl(),
        Map.of("V2__short_email.sql", changeType("users", "email", "varchar(5)") + ";\n"));

    assertAnswer(report, "data-narrowing-type", "will fail: 1 value of users.email does not fit varchar(5)", "high");
  }

  @Test
  void integersOutOfANarrowerRangeAreCounted() throws Exception {
    RunReport report = planOnSeed(database().newDatabaseUrl(),
        Map.of("V2__small_customer_ids.sql", changeType("orders", "customer_id", "smallint") + ";\n"));

    assertThat(finding(report, "data-narrowing-type").message())
        .endsWith("; will fail: 1 value of orders.customer_id does not fit smallint");
  }

  @Test
  void aLockingFindingSaysHowBigItsTableIsByTheCatalog() throws Exception {
    String url = database().newDatabaseUrl();
    RunReport seeded = planOnSeed(url, Map.of());
    assertThat(seeded.riskFindings()).isEmpty();
    long[] size = catalogSize(url, "users");

    RunReport report = planOnSeed(url, Map.of("V2__lock.sql", lockingStatement() + ";\n"));

    assertThat(finding(report, lockingRule()).message())
        .endsWith("; users holds ~" + size[0] + " rows, " + DataAnswer.bytes(size[1]));
  }

  @Test
  void aTableOrColumnAnEarlierPendingScriptCreatesIsNotChecked() throws Exception {
    RunReport report = planOnSeed(database().newDatabaseUrl(), Map.of(
        "V2__add_login.sql", "alter table users add login varchar(20);\n",
        "V3__unique_login.sql", allowLocks() + "create unique index users_login on users (login);\n"));

    assertThat(finding(report, "data-unique").message())
        .endsWith("; not checked: users.login does not exist yet (created by this migration)");
    assertThat(finding(report, "data-unique").severity()).isEqualTo("low");
  }

  @Test
  void duplicatesAnEarlierPendingScriptRemovesDoNotStopTheRun() throws Exception {
    String url = database().newDatabaseUrl();
    Map<String, String> scripts = new LinkedHashMap<>();
    scripts.put("V1__seed.sql", SEED);
    scripts.put("V2__dedupe.sql", "delete from users where id = 2;\n");
    scripts.put("V3__unique_email.sql", "create unique index users_email on users (email);\n");
    Path dir = scripts(scripts);
    assertThat(runner("--scripts=" + dir, "--url=" + url, "--target=1").exitCode()).isZero();
    RunReport planned = plan("--scripts=" + dir, "--url=" + url).report();
    assertThat(finding(planned, "data-unique").message()).endsWith("; not decided: 1 duplicate value of (email)"
        + " in users now, but V2__dedupe.sql:1 changes those rows first");

    Result run = runner("--scripts=" + dir, "--url=" + url, "--expected-state=" + planned.plannedState());

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.report().applied()).hasSize(2);
  }

  @Test
  void aCheckThatPassedAtPlanTimeAndFailsAtLaunchStopsTheRunWithNothingApplied() throws Exception {
    String url = database().newDatabaseUrl();
    Map<String, String> scripts = new LinkedHashMap<>();
    scripts.put("V1__seed.sql", SEED);
    scripts.put("V2__unique_name.sql", "create unique index customers_name on customers (name);\n");
    scripts.put("V3__later.sql", "create table later (id int primary key);\n");
    Path dir = scripts(scripts);
    assertThat(runner("--scripts=" + dir, "--url=" + url, "--target=1").exitCode()).isZero();
    RunReport planned = plan("--scripts=" + dir, "--url=" + url).report();
    assertThat(finding(planned, "data-unique").message()).endsWith("; checked: no duplicate values of (name) in customers");
    execute(url, "insert into customers (id, name) values (2, 'one')");
    String before = history(url);

    Result run = runner("--scripts=" + dir, "--url=" + url, "--expected-state=" + planned.plannedState());

    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(17);
    assertThat(run.report().outcome()).isEqualTo(Outcome.DATA_CHECK_FAILED);
    assertThat(run.report().message()).startsWith("the data no longer allows the approved change: data-unique "
        + "V2__unique_name.sql:1: will fail: 1 duplicate value of (name) in customers; nothing was applied");
    assertThat(run.report().applied()).isEmpty();
    assertThat(history(url)).as("history unchanged").isEqualTo(before);
    assertThat(database().tableExists(url, "later")).isFalse();
    assertThat(indexExists(url, "customers_name")).as("the unique index absent").isFalse();
    assertThat(run.compactReport().outcome()).isEqualTo(Outcome.DATA_CHECK_FAILED);
  }

  @Test
  void aRunWithoutAnExpectedStateAsksNothingAtLaunch() throws Exception {
    String url = database().newDatabaseUrl();
    Map<String, String> scripts = new LinkedHashMap<>();
    scripts.put("V1__seed.sql", SEED);
    scripts.put("V2__unique_email.sql", "create unique index users_email on users (email);\n");
    Path dir = scripts(scripts);

    Result run = runner("--scripts=" + dir, "--url=" + url);

    assertThat(run.exitCode()).as("Flyway meets the duplicates itself").isEqualTo(13);
    assertThat(run.stderr()).doesNotContain("data checks: ");
  }

  @Test
  void namesAreQuotedWhateverTheyHold() throws Exception {
    String url = database().newDatabaseUrl();
    Path dir = scripts(Map.of("V1__odd.sql", oddTable(), "V2__odd_unique.sql", allowLocks() + oddIndex()));
    assertThat(runner("--scripts=" + dir, "--url=" + url, "--target=1").exitCode()).isZero();
    RunReport report = plan("--scripts=" + dir, "--url=" + url).report();

    assertThat(report.riskFindings()).filteredOn(f -> f.rule().equals("data-unique")).singleElement()
        .extracting(RiskFinding::message).asString().endsWith("; will fail: 1 duplicate value of (E e) in " + oddName());
  }

  @Test
  void aCheckThatDoesNotEndInTimeSaysSoAndTheOthersStillRun() throws Exception {
    String url = database().newDatabaseUrl();
    planOnSeed(url, Map.of());
    Review review = ScriptReview.review(Dialect.ofProduct(product(url)), List.of(new Script("V2__checks.sql",
        setNotNull("users", "email", "varchar(100)") + ";\n" + allowLocks()
            + "create unique index customers_name on customers (name);\n", Optional.empty())), Map.of());
    try (Connection locker = DriverManager.getConnection(url, TestDatabase.MIGRATOR, TestDatabase.MIGRATOR_PASSWORD);
        Statement statement = locker.createStatement();
        TimeboxedDataSource readOnly = new TimeboxedDataSource(url, Optional.of(TestDatabase.MIGRATOR),
            Optional.of(TestDatabase.MIGRATOR_PASSWORD), Duration.ofSeconds(10), true)) {
      locker.setAutoCommit(false);
      statement.execute(lockTable("users"));
      long start = System.nanoTime();

      PlanReview.Checked checked = PlanReview.withLiveData(review, readOnly, RunnerCommand.of(temp, url), product(url),
          Duration.ofSeconds(1));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
      assertThat(finding(checked.review(), "data-not-null").message())
          .endsWith("; not decided within 1 s: review by hand");
      assertThat(finding(checked.review(), "data-not-null").severity()).isEqualTo("low");
      assertThat(finding(checked.review(), "data-unique").message())
          .endsWith("; checked: no duplicate values of (name) in customers");
      locker.rollback();
    }
  }

  /** A statement that keeps every other session from reading {@code table} until this transaction ends. */
  abstract String lockTable(String table);

  static RiskFinding finding(Review review, String rule) {
    return review.findings().stream().filter(f -> f.rule().equals(rule)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + rule + " finding in " + review.findings()));
  }

  private static String product(String url) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, TestDatabase.MIGRATOR, TestDatabase.MIGRATOR_PASSWORD)) {
      return connection.getMetaData().getDatabaseProductName();
    }
  }

  void execute(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, TestDatabase.MIGRATOR, TestDatabase.MIGRATOR_PASSWORD);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  String history(String url) throws SQLException {
    return String.valueOf(database().queryAsMigrator(url, "select count(*) from flyway_schema_history")) + "|"
        + database().queryAsMigrator(url, "select max(installed_rank) from flyway_schema_history");
  }

  abstract boolean indexExists(String url, String index) throws SQLException;

  static List<String> lines(String text) {
    return text.lines().toList();
  }
}
