package io.migrationgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.runner.RunnerInvocation.Result;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MariaDbRunnerTest extends RunnerOnRealDatabaseContract {

  private static EmbeddedMariaDbDatabase mariaDb;

  @BeforeAll
  static void startMariaDb() throws Exception {
    mariaDb = EmbeddedMariaDbDatabase.start();
  }

  @AfterAll
  static void stopMariaDb() throws Exception {
    if (mariaDb != null) {
      mariaDb.close();
    }
  }

  @Override
  TestDatabase database() {
    return mariaDb;
  }

  @Nested
  class Plans extends PlanOnRealDatabaseContract {

    @Override
    TestDatabase database() {
      return mariaDb;
    }

    /** MariaDB commits DDL at once, so Flyway keeps a failure after it as a failed row. */
    @Override
    void leaveAFailedRow(String url, Path scripts) throws Exception {
      assertThat(runner("--scripts=" + scripts, "--url=" + url).exitCode()).isEqualTo(13);
    }
  }

  @Nested
  class DataChecks extends DataChecksOnRealDatabaseContract {

    @Override
    TestDatabase database() {
      return mariaDb;
    }

    @Override
    String setNotNull(String table, String column, String type) {
      return "alter table " + table + " modify " + column + " " + type + " not null";
    }

    @Override
    String changeType(String table, String column, String type) {
      return "alter table " + table + " modify " + column + " " + type;
    }

    @Override
    String lockingStatement() {
      return "alter table users modify note varchar(200)";
    }

    @Override
    String lockingRule() {
      return "mysql-copying-alter";
    }

    @Override
    long[] catalogSize(String url, String table) throws java.sql.SQLException {
      execute(url, "analyze table " + table);
      String where = " from information_schema.TABLES where table_schema = database() and table_name = '" + table + "'";
      return new long[] {Long.parseLong(mariaDb.queryAsMigrator(url, "select TABLE_ROWS" + where)),
          Long.parseLong(mariaDb.queryAsMigrator(url, "select DATA_LENGTH + INDEX_LENGTH" + where))};
    }

    @Override
    String oddTable() {
      return "create table `Odd\"Name` (id int primary key, `E e` varchar(10));\n"
          + "insert into `Odd\"Name` values (1, 'x'), (2, 'x');\n";
    }

    @Override
    String oddIndex() {
      return "create unique index odd_e on `Odd\"Name` (`E e`);\n";
    }

    @Override
    String oddName() {
      return "Odd\"Name";
    }

    @Override
    String lockTable(String table) {
      return "lock tables " + table + " write";
    }

    @Override
    String allowLocks() {
      return "";
    }

    @Override
    boolean indexExists(String url, String index) throws java.sql.SQLException {
      return !"0".equals(mariaDb.queryAsMigrator(url, "select count(*) from information_schema.statistics"
          + " where table_schema = database() and index_name = '" + index + "'"));
    }
  }

  @Override
  String syntaxErrorWords() {
    return "You have an error in your SQL syntax";
  }

  @Test
  void aFailedScriptThatMariaDbCannotRollBackIsNamedWithWhatToRepair() throws Exception {
    String url = mariaDb.newDatabaseUrl();
    Map<String, String> scripts = new LinkedHashMap<>();
    scripts.put("V1__create_orders.sql", "create table orders (id int primary key);\n");
    scripts.put(
        "V2__half_done.sql", "create table half_done (id int);\n\ncreat table broken (id int);\n");

    Result result = runner("--scripts=" + scripts(scripts), "--url=" + url);

    assertThat(result.exitCode()).isEqualTo(13);
    assertThat(result.report().message())
        .contains("V2__half_done.sql at line 3")
        .contains("could not roll back V2__half_done.sql")
        .contains("flyway_schema_history");
    assertThat(mariaDb.tableExists(url, "half_done")).as("DDL commits implicitly").isTrue();
  }

  @Test
  void aMysqlSchemeUrlIsServedByTheBundledDriver() throws Exception {
    String url = mariaDb.newDatabaseUrl().replace("jdbc:mariadb:", "jdbc:mysql:");

    Result result =
        runner("--scripts=" + scripts(THREE_SCRIPTS), "--url=" + url, "--placeholders=" + PLACEHOLDERS);

    assertThat(result.exitCode()).isZero();
    assertThat(result.report().applied()).hasSize(3);
  }

  @Test
  void aSlowVerifyQueryIsCutOffAtTheVerifyTimeout() throws Exception {
    String url = mariaDb.newDatabaseUrl();
    String verify =
        "[{\"name\":\"slow\",\"sql\":\"select count(*) from shop_orders where sleep(10) = 0\",\"expect\":\"1\"}]";

    Result result =
        runner("--scripts=" + scripts(THREE_SCRIPTS), "--url=" + url,
            "--placeholders=" + PLACEHOLDERS, "--verify=" + verify, "--verify-timeout=1s");

    assertThat(result.exitCode()).isEqualTo(14);
    assertThat(result.report().verification().get(0).error()).contains("max_statement_time");
    assertThat(result.elapsed()).isLessThan(java.time.Duration.ofSeconds(8));
  }

  /** Connector/J runs initSql on every connection it opens: SQL outside the approved scripts. */
  @ParameterizedTest
  @ValueSource(strings = {"initSql=delete from shop_orders", "INITSQL=delete from shop_orders"})
  void aUrlThatCarriesInitSqlIsRefusedBeforeConnecting(String parameter) throws Exception {
    String url = migratedDatabase();

    Result result =
        runner("--scripts=" + scripts(THREE_SCRIPTS), "--url=" + url + "?" + parameter,
            "--placeholders=" + PLACEHOLDERS);

    assertThat(mariaDb.queryAsMigrator(url, "select count(*) from shop_orders")).as("rows left").isEqualTo("1");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.report().message())
        .startsWith("bad arguments: --url: parameter " + parameter.substring(0, 7) + " is not allowed")
        .doesNotContain("delete");
    assertThat(result.stderr()).doesNotContain("connected to");
  }

  /** With allowMultiQueries the driver lets a verify query commit and then write. */
  @Test
  void aUrlThatAllowsMultipleQueriesIsRefusedSoAVerifyQueryCannotEscape() throws Exception {
    String url = migratedDatabase();
    String verify =
        "[{\"name\":\"escape\",\"sql\":\"commit; delete from shop_orders; commit; select 1\",\"expect\":\"1\"}]";

    Result result =
        runner("--scripts=" + scripts(THREE_SCRIPTS), "--url=" + url + "?allowMultiQueries=true",
            "--placeholders=" + PLACEHOLDERS, "--verify=" + verify);

    assertThat(mariaDb.queryAsMigrator(url, "select count(*) from shop_orders")).as("rows left").isEqualTo("1");
    assertThat(result.exitCode()).isEqualTo(2);
  }
}
