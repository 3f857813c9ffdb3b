package io.migrationgate.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's command line as the runner reads it; moved from the runner's RunnerArgumentsTest. */
class RunnerCommandTest {

  private static final String IMAGE = "registry.example/orders-migrations@sha256:" + "ab".repeat(32);
  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private static final String URL = "jdbc:postgresql://db:5432/orders";
  private static final String STATE = "version=2.1;history=sha256:" + "cd".repeat(32);

  private static RunnerCommand parse(Map<String, String> env, String... args) throws BadArgumentsException {
    return RunnerCommandParser.parse(List.of(args), env);
  }

  private static RunnerCommand parse(String... args) throws BadArgumentsException {
    return parse(Map.of(), args);
  }

  @Test
  void readsEveryOptionFromTheCommandLine() throws Exception {
    RunnerCommand command =
        parse(
            "--scripts=/migrations",
            "--expected-digest=" + DIGEST.toUpperCase().replace("SHA256", "sha256"),
            "--expected-state=" + STATE,
            "--url=" + URL,
            "--credentials-secret=orders-db:user.name:pass_word",
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

    assertThat(command.scriptsDir()).contains(Path.of("/migrations"));
    assertThat(command.expectedDigest()).contains(DIGEST);
    assertThat(command.expectedState()).contains(new PlannedState("2.1", "sha256:" + "cd".repeat(32)));
    assertThat(command.url()).isEqualTo(URL);
    assertThat(command.credentialsSecret()).contains(new CredentialsSource("orders-db", "user.name", "pass_word"));
    assertThat(command.target()).isEqualTo("5.1");
    assertThat(command.schemas()).containsExactly("app", "audit");
    assertThat(command.table()).isEqualTo("history");
    assertThat(command.outOfOrder()).isTrue();
    assertThat(command.baselineOnMigrate()).isTrue();
    assertThat(command.baselineVersion()).contains("2");
    assertThat(command.placeholders()).containsExactly(Map.entry("owner", "app"), Map.entry("env", "staging"));
    assertThat(command.verifyQueries()).containsExactly(new VerifyQuery("n", "select 1", "1"));
    assertThat(command.connectTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(command.verifyTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(command.reportFile()).contains(Path.of("/tmp/report.json"));
  }

  @Test
  void fillsUnsetOptionsWithTheDocumentedDefaults() throws Exception {
    RunnerCommand command = parse("--scripts=/migrations", "--url=" + URL);

    assertThat(command.expectedDigest()).isEmpty();
    assertThat(command.expectedState()).isEmpty();
    assertThat(command.credentialsSecret()).isEmpty();
    assertThat(command.target()).isEqualTo("latest");
    assertThat(command.schemas()).isEmpty();
    assertThat(command.table()).isEqualTo("flyway_schema_history");
    assertThat(command.outOfOrder()).isFalse();
    assertThat(command.baselineOnMigrate()).isFalse();
    assertThat(command.baselineVersion()).isEmpty();
    assertThat(command.placeholders()).isEmpty();
    assertThat(command.verifyQueries()).isEmpty();
    assertThat(command.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(command.verifyTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(command.reportFile()).contains(Path.of("/dev/termination-log"));
  }

  @Test
  void takesOptionsFromMgVariablesAndLetsTheCommandLineWin() throws Exception {
    Map<String, String> env =
        Map.of(
            "MG_SCRIPTS", "/from-env",
            "MG_URL", URL,
            "MG_EXPECTED_DIGEST", DIGEST,
            "MG_EXPECTED_STATE", "version=;history=sha256:" + "0".repeat(64),
            "MG_TARGET", "3",
            "MG_VERIFY_TIMEOUT", "2m",
            "MG_BASELINE_ON_MIGRATE", "true");

    RunnerCommand command = parse(env, "--target=4");

    assertThat(command.scriptsDir()).contains(Path.of("/from-env"));
    assertThat(command.url()).isEqualTo(URL);
    assertThat(command.expectedDigest()).contains(DIGEST);
    assertThat(command.expectedState().orElseThrow().currentVersion()).as("nothing applied").isNull();
    assertThat(command.target()).as("command line wins").isEqualTo("4");
    assertThat(command.verifyTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(command.baselineOnMigrate()).isTrue();
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
  void refusesSchemaAndTableNamesThatAreNotPlainIdentifiers() {
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--schemas=app,\"x\";drop"))
        .isInstanceOf(BadArgumentsException.class)
        .hasMessageContaining("--schemas")
        .hasMessageContaining("plain identifier");
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--table=history; drop table orders"))
        .isInstanceOf(BadArgumentsException.class)
        .hasMessageContaining("--table");
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
        .hasMessage("--scripts is required (or set MG_SCRIPTS), or --scripts-image for a plan of scripts kept in an image");
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
  void refusesAnExpectedStateThatIsNotAPlannedStateNamingTheOption() {
    for (String state : List.of("2", "version=2", "version=2;history=sha256:abc", "version=two;history=sha256:"
        + "0".repeat(64), "history=sha256:" + "0".repeat(64) + ";version=2")) {
      assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--expected-state=" + state))
          .as(state)
          .isInstanceOf(BadArgumentsException.class)
          .hasMessageStartingWith("--expected-state: ")
          .hasMessageContaining("version=<current version");
    }
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
    RunnerCommand command =
        parse(Map.of("MG_EXPECTED_DIGEST", "", "MG_TARGET", " "), "--scripts=/m", "--url=" + URL);

    assertThat(command.expectedDigest()).isEmpty();
    assertThat(command.expectedState()).isEmpty();
    assertThat(command.target()).isEqualTo("latest");
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
  void aBadArgumentReportStillReachesTheRequestedReportFile(@TempDir Path temp) {
    Path file = temp.resolve("r");
    assertThat(RunnerCommandParser.reportFileDespiteBadArguments(List.of("--report-file=" + file, "--bogus"), Map.of()))
        .contains(file);
    assertThat(RunnerCommandParser.reportFileDespiteBadArguments(List.of("--bogus"), Map.of("MG_REPORT_FILE", "-")))
        .isEqualTo(Optional.empty());
    assertThat(RunnerCommandParser.reportFileDespiteBadArguments(List.of(), Map.of()))
        .contains(Path.of("/dev/termination-log"));
  }

  @Test
  void everyCommandWritesArgumentsThatParseBackIntoIt() throws Exception {
    RunnerCommand defaults = RunnerCommand.of(Path.of("/m"), URL);
    RunnerCommand everything = new RunnerCommand(java.util.Optional.of(Path.of("/scripts")), java.util.Optional.empty(),
        java.util.Optional.of(DIGEST),
        java.util.Optional.of(PlannedState.parse(STATE)), "jdbc:mariadb://db-a,db-b:3307/shop?sslMode=trust",
        java.util.Optional.of(new CredentialsSource("shop-db", "user", "pass.word")), "5.1", List.of("app", "audit"), "history", true, true,
        java.util.Optional.of("2"), Map.of("owner", "app"), List.of(new VerifyQuery("n", "select 1", "null")),
        Duration.ofMillis(1500), Duration.ofMinutes(2), java.util.Optional.empty());

    RunnerCommand imagePlan = new RunnerCommand(java.util.Optional.empty(), java.util.Optional.of(IMAGE),
        java.util.Optional.empty(), java.util.Optional.empty(), URL, java.util.Optional.empty(), "latest", List.of(),
        RunnerCommand.DEFAULT_TABLE, false, false, java.util.Optional.empty(), Map.of(), List.of(),
        RunnerCommand.DEFAULT_CONNECT_TIMEOUT, RunnerCommand.DEFAULT_VERIFY_TIMEOUT,
        java.util.Optional.of(RunnerCommand.DEFAULT_REPORT_FILE));

    for (RunnerCommand command : List.of(defaults, everything, imagePlan)) {
      assertThat(RunnerCommandParser.parse(command.toArgs())).isEqualTo(command);
    }
    assertThat(imagePlan.toArgs()).contains("--scripts-image=" + IMAGE).noneMatch(arg -> arg.startsWith("--scripts="));
    assertThat(everything.toArgs()).contains("--connect-timeout=1500ms", "--verify-timeout=120s", "--report-file=-");
    assertThat(defaults.toArgs()).as("defaults the runner knows are not spelled out")
        .noneMatch(arg -> arg.startsWith("--connect-timeout") || arg.startsWith("--verify-timeout"));
  }

  @Test
  void theScriptsAreMountedOrNamedByTheirPinnedImageNeverBoth() {
    assertThatThrownBy(() -> parse("--scripts=/m", "--scripts-image=" + IMAGE, "--url=" + URL))
        .hasMessageContaining("--scripts and --scripts-image are given together");
    assertThatThrownBy(() -> parse("--url=" + URL))
        .hasMessageContaining("--scripts is required").hasMessageContaining("--scripts-image");
    assertThatThrownBy(() -> parse("--scripts-image=registry.example/orders-migrations:v3", "--url=" + URL))
        .hasMessageContaining("--scripts-image must be pinned by digest");
  }

  @Test
  void onlyLatestInLowerCaseMeansTheLatestVersion() {
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--target=LATEST"))
        .hasMessageContaining("'latest' or a version");
  }

  @Test
  void credentialsInTheUrlAreRefusedInEverySpelling() {
    for (String url : List.of(URL + "?user=app", URL + "?pwd=x", URL + "?sslmode=require&username=app",
        "jdbc:postgresql://app@db/orders")) {
      assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + url))
          .as(url)
          .hasMessageStartingWith("--url must not carry a password or user name");
    }
  }

  @Test
  void durationsFollowTheCrdGrammarIncludingDecimals() throws Exception {
    assertThat(parse("--scripts=/m", "--url=" + URL, "--connect-timeout=1.5m").connectTimeout())
        .isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--connect-timeout=2d"))
        .hasMessageContaining("is not a duration");
  }

  @Test
  void aCredentialsSecretThatIsNotThreeNamesIsRefusedWithTheShapeItNeeds() {
    for (String bad : List.of("orders-db:username", "orders-db:user:pass:extra", "orders-db::password",
        "orders db:username:password")) {
      assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--credentials-secret=" + bad))
          .as(bad).isInstanceOf(BadArgumentsException.class).hasMessageStartingWith("--credentials-secret ");
    }
    assertThatThrownBy(() -> parse("--scripts=/m", "--url=" + URL, "--credentials-secret=a:b"))
        .hasMessageContaining("SECRET:USERNAME_KEY:PASSWORD_KEY");
  }
}
