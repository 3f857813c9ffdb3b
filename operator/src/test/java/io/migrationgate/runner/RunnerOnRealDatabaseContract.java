package io.migrationgate.runner;

import io.migrationgate.contract.RunnerCommand;
import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.contract.RunReport;
import io.migrationgate.contract.RunReport.AppliedMigration;
import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.ScriptsDigest;
import io.migrationgate.runner.RunnerInvocation.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the runner promises on every supported database, run against a real server. Each subclass
 * starts its server once for all of these tests and gives every test a fresh, empty database.
 */
abstract class RunnerOnRealDatabaseContract extends OnRealDatabase {

  static final Map<String, String> THREE_SCRIPTS = threeScripts();
  static final String PLACEHOLDERS = "{\"prefix\":\"shop_\",\"greeting\":\"hello from placeholders\"}";
  /** The password as user name too: with the keys mixed up, both variables hold the password. */
  static final Map<String, String> PASSWORD_AS_USER_NAME = Map.of(RunnerCommand.USERNAME_ENV,
      TestDatabase.MIGRATOR_PASSWORD, RunnerCommand.PASSWORD_ENV, TestDatabase.MIGRATOR_PASSWORD);
  /** The request's usernameKey names the password's key, as the operator writes it into the Job. */
  static final String KEYS_MIXED_UP = "--credentials-secret=orders-db:password:password";

  /** The database's own words for a syntax error, as the driver reports them. */
  abstract String syntaxErrorWords();

  static Map<String, String> threeScripts() {
    Map<String, String> scripts = new LinkedHashMap<>();
    scripts.put(
        "V1__create_orders.sql",
        "create table ${prefix}orders (id int primary key, note varchar(100));\n");
    scripts.put(
        "V2__seed_orders.sql", "insert into ${prefix}orders (id, note) values (1, '${greeting}');\n");
    scripts.put(
        "V3__add_status.sql", "alter table ${prefix}orders add status varchar(20) default 'new';\n");
    return scripts;
  }

  @Test
  void migratesAllScriptsOfAConfigMapVolumeWithPlaceholdersAndReportsEachOne() throws Exception {
    String url = database().newDatabaseUrl();
    Path volume =
        ScriptFiles.configMapVolume(Files.createTempDirectory(temp, "configmap"), THREE_SCRIPTS);
    String approved = ScriptsDigest.of(THREE_SCRIPTS);
    String verify =
        "[{\"name\":\"seeded note\",\"sql\":\"select note from shop_orders where id = 1\","
            + "\"expect\":\"hello from placeholders\"},"
            + "{\"name\":\"status defaults to new\",\"sql\":\"select status from shop_orders\","
            + "\"expect\":\"new\"}]";

    Result result =
        runner(
            "--scripts=" + volume,
            "--expected-digest=" + approved,
            "--url=" + url,
            "--placeholders=" + PLACEHOLDERS,
            "--verify=" + verify);

    assertThat(result.exitCode()).isZero();
    RunReport report = result.report();
    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.scriptCount()).as("each ConfigMap key once, not via ..data").isEqualTo(3);
    assertThat(report.scriptsDigest()).isEqualTo(approved);
    assertThat(report.applied())
        .extracting(AppliedMigration::version, AppliedMigration::script)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1", "V1__create_orders.sql"),
            org.assertj.core.groups.Tuple.tuple("2", "V2__seed_orders.sql"),
            org.assertj.core.groups.Tuple.tuple("3", "V3__add_status.sql"));
    assertThat(report.applied().get(0).description()).isEqualTo("create orders");
    assertThat(report.schemaVersionBefore()).isNull();
    assertThat(report.schemaVersionAfter()).isEqualTo("3");
    assertThat(report.verification()).allMatch(RunReport.VerificationResult::passed).hasSize(2);
    assertThat(report.flywayVersion()).isNotBlank();
    assertThat(report.databaseProduct()).isNotBlank();
    assertThat(report.databaseVersion()).isNotBlank();
    assertThat(report.message()).contains("applied 3 migrations").contains("2 verification queries passed");
    assertThat(database().queryAsMigrator(url, "select note from shop_orders where id = 1"))
        .isEqualTo("hello from placeholders");
    assertThat(result.compactReport().outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.compactReport().applied()).hasSize(3);
    assertThat(result.stderr()).contains("ms after process start");
  }

  @Test
  void stopsAtTheTargetVersionAndSaysWhichScriptsWereLeft() throws Exception {
    String url = database().newDatabaseUrl();

    Result result =
        runner(
            "--scripts=" + scripts(THREE_SCRIPTS),
            "--url=" + url,
            "--target=2",
            "--placeholders=" + PLACEHOLDERS);

    assertThat(result.exitCode()).isZero();
    assertThat(result.report().applied()).extracting(AppliedMigration::version).containsExactly("1", "2");
    assertThat(result.report().schemaVersionAfter()).isEqualTo("2");
    assertThat(result.report().message()).contains("stopped at target 2").contains("V3__add_status.sql");
    assertThat(database().queryAsMigrator(url, "select count(*) from shop_orders")).isEqualTo("1");
    assertThat(columnExists(url, "shop_orders", "status")).isFalse();
  }

  @Test
  void aSecondRunAppliesNothingAndSaysSo() throws Exception {
    String url = database().newDatabaseUrl();
    Path scripts = scripts(THREE_SCRIPTS);
    assertThat(runner("--scripts=" + scripts, "--url=" + url, "--placeholders=" + PLACEHOLDERS).exitCode())
        .isZero();

    Result second = runner("--scripts=" + scripts, "--url=" + url, "--placeholders=" + PLACEHOLDERS);

    assertThat(second.exitCode()).isZero();
    RunReport report = second.report();
    assertThat(report.applied()).isEmpty();
    assertThat(report.appliedTotal()).isZero();
    assertThat(report.schemaVersionBefore()).isEqualTo("3");
    assertThat(report.schemaVersionAfter()).isEqualTo("3");
    assertThat(report.message()).contains("no migration applied").contains("0 applied");
    assertThat(database().queryAsMigrator(url, "select count(*) from shop_orders")).isEqualTo("1");
  }

  @Test
  void badSqlInTheSecondScriptFailsWithScriptLineAndDatabaseMessageAfterTheFirstWasApplied()
      throws Exception {
    String url = database().newDatabaseUrl();
    Map<String, String> scripts = new LinkedHashMap<>();
    scripts.put("V1__create_orders.sql", "create table orders (id int primary key);\n");
    scripts.put(
        "V2__broken.sql",
        "-- the second statement is misspelt\n"
            + "insert into orders (id) values (1);\n"
            + "creat table broken (id int);\n");

    Result result = runner("--scripts=" + scripts(scripts), "--url=" + url);

    assertThat(result.exitCode()).isEqualTo(13);
    RunReport report = result.report();
    assertThat(report.outcome()).isEqualTo(Outcome.MIGRATION_FAILED);
    assertThat(report.applied()).extracting(AppliedMigration::script).containsExactly("V1__create_orders.sql");
    assertThat(report.message())
        .startsWith("migration failed in V2__broken.sql at line 3: ")
        .contains(syntaxErrorWords())
        .contains("applied before the failure: V1__create_orders.sql");
    assertThat(result.stderr().lines()).contains(report.message());
    assertThat(result.compactReport().message()).isEqualTo(report.message());
  }

  @Test
  void anEditedAlreadyAppliedScriptFailsValidationWithoutMigrating() throws Exception {
    String url = database().newDatabaseUrl();
    Path scripts = scripts(THREE_SCRIPTS);
    assertThat(runner("--scripts=" + scripts, "--url=" + url, "--placeholders=" + PLACEHOLDERS).exitCode())
        .isZero();
    Files.writeString(
        scripts.resolve("V1__create_orders.sql"),
        "create table ${prefix}orders (id bigint primary key, note varchar(100));\n");
    Files.writeString(scripts.resolve("V4__more.sql"), "create table later_table (id int);\n");

    Result result = runner("--scripts=" + scripts, "--url=" + url, "--placeholders=" + PLACEHOLDERS);

    assertThat(result.exitCode()).isEqualTo(12);
    assertThat(result.report().outcome()).isEqualTo(Outcome.VALIDATION_FAILED);
    assertThat(result.report().message())
        .startsWith("validation failed")
        .contains("V1__create_orders.sql")
        .containsIgnoringCase("checksum");
    assertThat(result.report().applied()).isEmpty();
    assertThat(database().tableExists(url, "later_table")).isFalse();
  }

  @Test
  void aDigestMismatchRefusesBeforeConnecting() throws Exception {
    Path scripts = scripts(THREE_SCRIPTS);
    String someOtherDigest = ScriptsDigest.of(Map.of("V1__other.sql", "select 1;"));
    // Nothing listens on this port: had the runner tried to connect, it would exit 11, not 10.
    String nowhere = database().urlWithPort(closedPort());

    Result result =
        runner("--scripts=" + scripts, "--expected-digest=" + someOtherDigest, "--url=" + nowhere);

    assertThat(result.exitCode()).isEqualTo(10);
    RunReport report = result.report();
    assertThat(report.outcome()).isEqualTo(Outcome.DIGEST_MISMATCH);
    assertThat(report.expectedDigest()).isEqualTo(someOtherDigest);
    assertThat(report.scriptsDigest()).isEqualTo(ScriptsDigest.of(THREE_SCRIPTS));
    assertThat(report.databaseProduct()).isNull();
    assertThat(report.message()).contains("digest mismatch").contains("refusing to connect");
    assertThat(result.stderr()).doesNotContain("connected to");

    Result sameScriptsApproved =
        runner(
            "--scripts=" + scripts,
            "--expected-digest=" + ScriptsDigest.of(THREE_SCRIPTS),
            "--url=" + nowhere);
    assertThat(sameScriptsApproved.exitCode()).as("a matching digest goes on to connect").isEqualTo(11);
  }

  @Test
  void aClosedPortIsAConnectionFailure() throws Exception {
    Result result =
        runner("--scripts=" + scripts(THREE_SCRIPTS), "--url=" + database().urlWithPort(closedPort()));

    assertThat(result.exitCode()).isEqualTo(11);
    assertThat(result.report().outcome()).isEqualTo(Outcome.CONNECTION_FAILED);
    assertThat(result.report().message()).startsWith("cannot reach the database at");
    assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aServerThatAcceptsButNeverAnswersIsAConnectionFailureWithinTheTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket()) {
      silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);

      Result result =
          runner(
              "--scripts=" + scripts(THREE_SCRIPTS),
              "--url=" + database().urlWithPort(silent.getLocalPort()),
              "--connect-timeout=2s");

      assertThat(result.exitCode()).isEqualTo(11);
      assertThat(result.report().outcome()).isEqualTo(Outcome.CONNECTION_FAILED);
      assertThat(result.elapsed()).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(6));
    }
  }

  @Test
  void aWrongPasswordIsARefusedLoginThatNamesTheSecretsKeysAndEchoesNoInput() throws Exception {
    String url = database().newDatabaseUrl();
    Map<String, String> env = new HashMap<>(database().migratorCredentials());
    env.put(RunnerCommand.PASSWORD_ENV, "not-the-password");

    Result result = runner(env, "--scripts=" + scripts(THREE_SCRIPTS), "--url=" + url,
        "--credentials-secret=orders-db:username:password");

    assertThat(result.exitCode()).as("not retried: only a fixed Secret helps").isEqualTo(16);
    assertThat(result.report().outcome()).isEqualTo(Outcome.CREDENTIALS_REFUSED);
    assertThat(result.report().message())
        .contains("refused the login of the user in key username of Secret orders-db")
        .contains("check that key username holds the database user's name and key password its password")
        .as("the user name is input too: a driver's message would repeat it").doesNotContain(TestDatabase.MIGRATOR);
    assertShownNowhere("not-the-password", result);
  }

  /**
   * Issue 20's leak: usernameKey pointing at the password key makes the password the user name,
   * which PostgreSQL's and MariaDB's refusals quote. Neither program may show it anywhere a
   * requester reads (the report goes to status, Events and evidence; stdout and stderr to the log).
   */
  @Test
  void aPasswordUsedAsTheUserNameAppearsNowhereAndTheMessageSaysWhichKeyToFix() throws Exception {
    String url = database().newDatabaseUrl();
    Path scripts = scripts(THREE_SCRIPTS);

    for (Result result : List.of(
        runner(PASSWORD_AS_USER_NAME, "--scripts=" + scripts, "--url=" + url, KEYS_MIXED_UP),
        plan(PASSWORD_AS_USER_NAME, "--scripts=" + scripts, "--url=" + url, KEYS_MIXED_UP))) {
      assertThat(result.exitCode()).isEqualTo(Outcome.CREDENTIALS_REFUSED.exitCode());
      assertThat(result.report().message())
          .contains("the database refused the login of the user in key password of Secret orders-db")
          .contains("check that key password holds the database user's name");
      assertShownNowhere(TestDatabase.MIGRATOR_PASSWORD, result);
    }
  }

  /** As its own JVM the runner's logging is on: the drivers' and Flyway's lines reach stderr too. */
  @Test
  void aPasswordUsedAsTheUserNameIsNotInTheLogOfAPlanRunAsItsOwnProcess() throws Exception {
    Result result = RunnerInvocation.inItsOwnJvm("plan", Files.createTempDirectory(temp, "plan"),
        PASSWORD_AS_USER_NAME, "--scripts=" + scripts(THREE_SCRIPTS), "--url=" + database().newDatabaseUrl(),
        KEYS_MIXED_UP);

    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(Outcome.CREDENTIALS_REFUSED.exitCode());
    assertThat(result.report().message()).contains("key password of Secret orders-db");
    assertShownNowhere(TestDatabase.MIGRATOR_PASSWORD, result);
  }

  @Test
  void anUnreachableDatabaseSaysWhatToCheckAndShowsNoCredential() throws Exception {
    Result result = plan(PASSWORD_AS_USER_NAME, "--scripts=" + scripts(THREE_SCRIPTS),
        "--url=" + database().urlWithPort(closedPort()), KEYS_MIXED_UP);

    assertThat(result.exitCode()).isEqualTo(Outcome.CONNECTION_FAILED.exitCode());
    assertThat(result.report().message())
        .startsWith("cannot reach the database at jdbc:")
        .contains("the connection was refused")
        .contains("check the host, port, TLS parameters and network policy");
    assertShownNowhere(TestDatabase.MIGRATOR_PASSWORD, result);
  }

  /** {@code secret} is in none of what the runner wrote: the report, the termination log, stdout, stderr. */
  static void assertShownNowhere(String secret, Result result) {
    assertThat(result.report().message()).doesNotContain(secret);
    assertThat(result.compactJson()).as("the termination log").doesNotContain(secret);
    assertThat(result.stdout()).as("stdout").doesNotContain(secret);
    assertThat(result.stderr()).as("stderr").doesNotContain(secret);
  }

  @Test
  void aVerifyQueryWithTheWrongAnswerFailsVerificationButKeepsTheMigration() throws Exception {
    String url = database().newDatabaseUrl();
    String verify =
        "[{\"name\":\"one order\",\"sql\":\"select count(*) from shop_orders\",\"expect\":\"1\"},"
            + "{\"name\":\"two orders\",\"sql\":\"select count(*) from shop_orders\",\"expect\":\"2\"}]";

    Result result =
        runner(
            "--scripts=" + scripts(THREE_SCRIPTS),
            "--url=" + url,
            "--placeholders=" + PLACEHOLDERS,
            "--verify=" + verify);

    assertThat(result.exitCode()).isEqualTo(14);
    RunReport report = result.report();
    assertThat(report.outcome()).isEqualTo(Outcome.VERIFICATION_FAILED);
    assertThat(report.verification())
        .extracting(RunReport.VerificationResult::name, RunReport.VerificationResult::passed,
            RunReport.VerificationResult::actual)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("one order", true, "1"),
            org.assertj.core.groups.Tuple.tuple("two orders", false, "1"));
    assertThat(report.message())
        .contains("\"two orders\" returned 1, expected 2")
        .contains("migrations stay applied");
    assertThat(report.applied()).hasSize(3);
  }

  @Test
  void aVerifyQueryWithASyntaxErrorFailsVerificationWithTheDatabaseMessage() throws Exception {
    String url = database().newDatabaseUrl();
    String verify =
        "[{\"name\":\"typo\",\"sql\":\"selec count(*) from shop_orders\",\"expect\":\"1\"},"
            + "{\"name\":\"after the typo\",\"sql\":\"select count(*) from shop_orders\",\"expect\":\"1\"}]";

    Result result =
        runner(
            "--scripts=" + scripts(THREE_SCRIPTS),
            "--url=" + url,
            "--placeholders=" + PLACEHOLDERS,
            "--verify=" + verify);

    assertThat(result.exitCode()).isEqualTo(14);
    RunReport.VerificationResult typo = result.report().verification().get(0);
    assertThat(typo.passed()).isFalse();
    assertThat(typo.error()).contains(syntaxErrorWords());
    assertThat(result.report().verification().get(1).passed())
        .as("a failed query does not poison the ones after it")
        .isTrue();
    assertThat(result.report().message()).contains("\"typo\" errored");
  }

  /**
   * Each statement before the final select tries to end or widen the read-only transaction, so that
   * the delete would be committed; the runner must refuse the query before connecting.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "commit; delete from shop_orders; select 1",
      "commit; delete from shop_orders; commit; select 1",
      "rollback; delete from shop_orders; select 1",
      "end; delete from shop_orders; select 1",
      "set transaction read write; delete from shop_orders; select 1",
      "select 1; commit; delete from shop_orders"})
  void aVerifyQueryOfSeveralStatementsIsRefusedAndDeletesNothing(String sql) throws Exception {
    String url = migratedDatabase();
    String verify = "[{\"name\":\"escape\",\"sql\":\"" + sql + "\",\"expect\":\"1\"}]";

    Result result =
        runner("--scripts=" + scripts(THREE_SCRIPTS), "--url=" + url,
            "--placeholders=" + PLACEHOLDERS, "--verify=" + verify);

    assertThat(database().queryAsMigrator(url, "select count(*) from shop_orders")).as("rows left").isEqualTo("1");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.report().message()).contains("\"escape\" holds").contains("exactly one statement");
    assertThat(result.stderr()).doesNotContain("connected to");
  }

  /** A database that went through the three scripts, so that a later run has nothing to apply. */
  String migratedDatabase() throws Exception {
    String url = database().newDatabaseUrl();
    assertThat(runner("--scripts=" + scripts(THREE_SCRIPTS), "--url=" + url, "--placeholders=" + PLACEHOLDERS)
            .exitCode())
        .isZero();
    return url;
  }

  @Test
  void aReportForFiveHundredScriptsFitsTheTerminationMessageAndTheFullLineParsesBack()
      throws Exception {
    String url = database().newDatabaseUrl();
    Map<String, String> scripts = new LinkedHashMap<>();
    for (int i = 1; i <= 500; i++) {
      scripts.put("V" + i + "__step_number_" + i + ".sql", "select " + i + ";\n");
    }

    Result result = runner("--scripts=" + scripts(scripts), "--url=" + url);

    assertThat(result.exitCode()).isZero();
    assertThat(result.compactJson().getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(RunReport.TERMINATION_MESSAGE_MAX_BYTES);
    RunReport compact = result.compactReport();
    assertThat(compact.truncated()).isTrue();
    assertThat(compact.appliedTotal()).isEqualTo(500);
    assertThat(compact.applied().get(0).version()).isEqualTo("1");
    assertThat(compact.applied().get(compact.applied().size() - 1).version()).isEqualTo("500");
    RunReport full = result.report();
    assertThat(full.truncated()).isFalse();
    assertThat(full.applied()).hasSize(500);
    assertThat(full.schemaVersionAfter()).isEqualTo("500");
  }

  boolean columnExists(String url, String table, String column) throws Exception {
    try (var connection =
            java.sql.DriverManager.getConnection(url, TestDatabase.MIGRATOR, TestDatabase.MIGRATOR_PASSWORD);
        var columns = connection.getMetaData().getColumns(connection.getCatalog(), null, table, column)) {
      return columns.next();
    }
  }

  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
