package io.migrationgate.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migrationgate.contract.RunReport;
import io.migrationgate.contract.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerArgumentsTest {

  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private static final String URL = "jdbc:postgresql://db:5432/orders";

  private static RunnerArguments parse(Map<String, String> env, String... args)
      throws BadArgumentsException {
    return RunnerArguments.parse(args, env);
  }

  private static RunnerArguments parse(String... args) throws BadArgumentsException {
    return parse(Map.of(), args);
  }

  @Test
  void readsEveryOptionFromTheCommandLine() throws Exception {
    RunnerArguments arguments =
        parse(
            "--scripts=/migrations",
            "--expected-digest=" + DIGEST.toUpperCase().replace("SHA256", "sha256"),
            "--url=" + URL,
            "--target=5.1",
            "--schemas=app, audit,",
            "--table=history",
            "--out-of-order=true",
            "--baseline-on-migrate=TRUE",
            "--baseline-version=2",
            "--placeholders={\"owner\":\"app\",\"env\":\"staging\"}",
            "--verify=[{\"name\":\"n\",\"sql\":\"select 1\",\"expect\":\"1\"}]",
            "--connect-timeout=1m30s",
            "--verify-timeout=500ms",
            "--report-file=/tmp/report.json");

    assertThat(arguments.scriptsDir()).isEqualTo(Path.of("/migrations"));
    assertThat(arguments.expectedDigest()).contains(DIGEST);
    assertThat(arguments.url()).isEqualTo(URL);
    assertThat(arguments.target()).isEqualTo("5.1");
    assertThat(arguments.schemas()).containsExactly("app", "audit");
    assertThat(arguments.table()).isEqualTo("history");
    assertThat(arguments.outOfOrder()).isTrue();
    assertThat(arguments.baselineOnMigrate()).isTrue();
    assertThat(arguments.baselineVersion()).contains("2");
    assertThat(arguments.placeholders()).containsExactly(Map.entry("owner", "app"), Map.entry("env", "staging"));
    assertThat(arguments.verifyQueries()).containsExactly(new VerifyQuery("n", "select 1", "1"));
    assertThat(arguments.connectTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(arguments.verifyTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(arguments.reportFile()).contains(Path.of("/tmp/report.json"));
  }

  @Test
  void fillsUnsetOptionsWithTheDocumentedDefaults() throws Exception {
    RunnerArguments arguments = parse("--scripts=/migrations", "--url=" + URL);

    assertThat(arguments.expectedDigest()).isEmpty();
    assertThat(arguments.target()).isEqualTo("latest");
    assertThat(arguments.schemas()).isEmpty();
    assertThat(arguments.table()).isEqualTo("flyway_schema_history");
    assertThat(arguments.outOfOrder()).isFalse();
    assertThat(arguments.baselineOnMigrate()).isFalse();
    assertThat(arguments.baselineVersion()).isEmpty();
    assertThat(arguments.placeholders()).isEmpty();
    assertThat(arguments.verifyQueries()).isEmpty();
    assertThat(arguments.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(arguments.verifyTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(arguments.reportFile()).contains(Path.of("/dev/termination-log"));
  }

  @Test
  void takesOptionsFromMgVariablesAndLetsTheCommandLineWin() throws Exception {
    Map<String, String> env =
        Map.of(
            "MG_SCRIPTS", "/from-env",
            "MG_URL", URL,
            "MG_EXPECTED_DIGEST", DIGEST,
            "MG_TARGET", "3",
            "MG_VERIFY_TIMEOUT", "2m",
            "MG_BASELINE_ON_MIGRATE", "true");

    RunnerArguments arguments = parse(env, "--target=4");

    assertThat(arguments.scriptsDir()).isEqualTo(Path.of("/from-env"));
    assertThat(arguments.url()).isEqualTo(URL);
    assertThat(arguments.expectedDigest()).contains(DIGEST);
    assertThat(arguments.target()).as("command line wins").isEqualTo("4");
    assertThat(arguments.verifyTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(arguments.baselineOnMigrate()).isTrue();
  }

  @Test
  void takesCredentialsFromTheEnvironmentOnly() throws Exception {
    RunnerArguments arguments =
        parse(
            Map.of("MG_DB_USERNAME", "migrator", "MG_DB_PASSWORD", "pw"),
            "--scripts=/m",
            "--url=" + URL);

    assertThat(arguments.username()).contains("migrator");
    assertThat(arguments.password()).contains("pw");
    assertThat(arguments.toString()).doesNotContain("pw").contains("password=<set>");
  }

  @Test
  void refusesAPasswordOnTheCommandLineAndSaysWhereItBelongs() {
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--password=hunter2"))
        .isInstanceOf(BadArgumentsException.class)
        .hasMessageContaining("--password is refused")
        .hasMessageContaining("MG_DB_PASSWORD")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--username=app"))
        .hasMessageContaining("MG_DB_USERNAME");
  }

  @Test
  void refusesAPasswordInsideTheUrl() {
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL + "?user=a&password=b"))
        .hasMessageContaining("must not carry a password")
        .hasMessageNotContaining("password=b");
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=jdbc:mysql://a:b@db:3306/x"))
        .hasMessageContaining("must not carry a password");
  }

  @Test
  void refusesUrlParametersOutsideTheAllowListWhateverTheirCase() {
    for (String url : List.of(
        "jdbc:mariadb://db:3306/orders?initSql=delete%20from%20orders",
        "jdbc:mariadb://db:3306/orders?INITSQL=select%201",
        "jdbc:mysql://db:3306/orders?connectTimeout=5&initsql=select%201",
        "jdbc:mariadb://db:3306/orders?allowMultiQueries=true",
        "jdbc:postgresql://db/orders?options=-c%20default_transaction_read_only=off",
        "jdbc:postgresql://db/orders?sslfactory=org.example.Anything",
        "jdbc:postgresql://db/orders?%6Fptions=x")) {
      assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + url))
          .as(url)
          .isInstanceOf(BadArgumentsException.class)
          .hasMessageStartingWith("--url: parameter ")
          .hasMessageContaining(" is not allowed; allowed for ")
          .hasMessageNotContaining("select");
    }
  }

  @Test
  void acceptsTlsAndTimeoutParameters() throws Exception {
    String url = "jdbc:postgresql://db:5432/orders?sslmode=verify-full&connectTimeout=10";
    assertThat(parse("--scripts=/m", "--url=" + url).url()).isEqualTo(url);
  }

  @Test
  void refusesAVerifyQueryOfSeveralStatements() {
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL,
            "--verify=[{\"name\":\"escape\",\"sql\":\"commit; delete from t; select 1\",\"expect\":\"1\"}]"))
        .isInstanceOf(BadArgumentsException.class)
        .hasMessage("--verify: \"escape\" holds 3 statements; a verify query must be exactly one statement"
            + " (a trailing ';' is allowed)");
  }

  @Test
  void namesTheMissingRequiredOptionAndItsVariable() {
    assertThatThrownBy(() -> parse("--url=" + URL))
        .hasMessage("--scripts is required (or set MG_SCRIPTS)");
    assertThatThrownBy(() -> parse("--scripts=/m"))
        .hasMessage("--url is required (or set MG_URL)");
  }

  @Test
  void rejectsUnsupportedDatabasesUnknownOptionsAndStrayWords() {
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=jdbc:oracle:thin:@db:1521/x"))
        .hasMessageStartingWith("--url must start with one of jdbc:postgresql:");
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--clean=true"))
        .hasMessageContaining("unknown option --clean");
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "migrate"))
        .hasMessageContaining("unexpected argument 'migrate'");
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--target=1", "--target=2"))
        .hasMessageContaining("more than once");
  }

  @Test
  void rejectsMalformedDigestsTargetsBooleansAndDurations() {
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--expected-digest=abc"))
        .hasMessageContaining("sha256:<64 hex digits>");
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--target=next"))
        .hasMessageContaining("'latest' or a version");
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--out-of-order=yes"))
        .hasMessageContaining("true or false");
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--connect-timeout=30"))
        .hasMessageContaining("30s, 2m, 1m30s or 500ms");
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--connect-timeout=0s"))
        .hasMessageContaining("longer than zero");
  }

  @Test
  void aBareBooleanFlagMeansTrueButOtherOptionsNeedAValue() throws Exception {
    assertThat(parse("--scripts=/m", "--url=" + URL, "--out-of-order").outOfOrder()).isTrue();
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--target"))
        .hasMessageContaining("--target needs a value");
  }

  @Test
  void anEmptyOrDashReportFileDisablesTheTerminationReport() throws Exception {
    assertThat(parse("--scripts=/m", "--url=" + URL, "--report-file=-").reportFile()).isEmpty();
    assertThat(parse("--scripts=/m", "--url=" + URL, "--report-file=").reportFile()).isEmpty();
    assertThat(parse(Map.of("MG_REPORT_FILE", ""), "--scripts=/m", "--url=" + URL).reportFile()).isEmpty();
  }

  @Test
  void anEmptyVariableCountsAsUnsetSoAJobTemplateCanAlwaysSetIt() throws Exception {
    RunnerArguments arguments =
        parse(Map.of("MG_EXPECTED_DIGEST", "", "MG_TARGET", " "), "--scripts=/m", "--url=" + URL);

    assertThat(arguments.expectedDigest()).isEmpty();
    assertThat(arguments.target()).isEqualTo("latest");
  }

  @Test
  void placeholdersMustBeAJsonObjectOfStrings() {
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--placeholders=[1]"))
        .hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--placeholders={\"n\":1}"))
        .hasMessageContaining("\"n\" must be a JSON string");
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--placeholders={oops"))
        .hasMessageStartingWith("--placeholders is not valid JSON");
  }

  @Test
  void verifyQueriesNeedNameSqlAndExpectAndUniqueNames() throws Exception {
    assertThatThrownBy(
            () -> parse("--scripts=/m", "--url=" + URL, "--verify=[{\"name\":\"a\",\"sql\":\"select 1\"}]"))
        .hasMessageContaining("(\"a\") needs \"expect\"");
    assertThatThrownBy(
            () -> parse("--scripts=/m", "--url=" + URL, "--verify=[{\"name\":\"a\",\"expect\":\"1\"}]"))
        .hasMessageContaining("needs a non-empty string \"sql\"");
    assertThatThrownBy(
            () ->
                parse(
                    "--scripts=/m",
                    "--url=" + URL,
                    "--verify=[{\"name\":\"a\",\"sql\":\"s\",\"expect\":\"1\"},{\"name\":\"a\",\"sql\":\"s\",\"expect\":\"1\"}]"))
        .hasMessageContaining("\"a\" is used twice");

    List<VerifyQuery> queries =
        parse(
                "--scripts=/m",
                "--url=" + URL,
                "--verify=[{\"name\":\"n\",\"sql\":\"s\",\"expect\":1},{\"name\":\"z\",\"sql\":\"s\",\"expect\":null}]")
            .verifyQueries();
    assertThat(queries).extracting(VerifyQuery::expect).containsExactly("1", "null");
  }

  @Test
  void aRefusedPasswordEndsTheRunWithExitTwoAndABadArgumentsReport(@TempDir Path temp)
      throws Exception {
    Path reportFile = temp.resolve("termination-log");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exitCode =
        RunnerMain.run(
            new String[] {"--scripts=/m", "--url=" + URL, "--password=hunter2", "--report-file=" + reportFile},
            new HashMap<>(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(exitCode).isEqualTo(2);
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertThat(stderr.lines()).containsExactly(
        "bad arguments: --password is refused: command lines are visible to anyone who can read the"
            + " Pod; set MG_DB_USERNAME and MG_DB_PASSWORD from a Secret instead");
    RunReport report = RunReport.parse(Files.readString(reportFile));
    assertThat(report.outcome()).isEqualTo(Outcome.BAD_ARGUMENTS);
    assertThat(report.exitCode()).isEqualTo(2);
    assertThat(report.message()).isEqualTo(stderr.strip());
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith(RunReport.STDOUT_MARKER).doesNotContain("hunter2");
  }

  @Test
  void aScriptsDirectoryThatDoesNotExistIsABadArgument(@TempDir Path temp) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exitCode =
        RunnerMain.run(
            new String[] {"--scripts=" + temp.resolve("missing"), "--url=" + URL, "--report-file=-"},
            new HashMap<>(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    assertThat(exitCode).isEqualTo(2);
    RunReport report = RunReport.fromStdoutLine(out.toString(StandardCharsets.UTF_8).strip()).orElseThrow();
    assertThat(report.message()).contains("is not a directory");
  }

  @Test
  void aBadArgumentReportStillReachesTheRequestedReportFile(@TempDir Path temp) {
    Path file = temp.resolve("r");
    assertThat(RunnerArguments.reportFileDespiteBadArguments(new String[] {"--report-file=" + file, "--bogus"}, Map.of()))
        .contains(file);
    assertThat(RunnerArguments.reportFileDespiteBadArguments(new String[] {"--bogus"}, Map.of("MG_REPORT_FILE", "-")))
        .isEqualTo(Optional.empty());
    assertThat(RunnerArguments.reportFileDespiteBadArguments(new String[] {}, Map.of()))
        .contains(Path.of("/dev/termination-log"));
  }
}
