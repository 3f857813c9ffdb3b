package io.migrationgate.contract;

import static io.migrationgate.contract.RunnerOptions.BASELINE_ON_MIGRATE;
import static io.migrationgate.contract.RunnerOptions.BASELINE_VERSION;
import static io.migrationgate.contract.RunnerOptions.CONNECT_TIMEOUT;
import static io.migrationgate.contract.RunnerOptions.CREDENTIALS_SECRET;
import static io.migrationgate.contract.RunnerOptions.EXPECTED_DIGEST;
import static io.migrationgate.contract.RunnerOptions.EXPECTED_STATE;
import static io.migrationgate.contract.RunnerOptions.NO_REPORT_FILE;
import static io.migrationgate.contract.RunnerOptions.OUT_OF_ORDER;
import static io.migrationgate.contract.RunnerOptions.PLACEHOLDERS;
import static io.migrationgate.contract.RunnerOptions.REPORT_FILE;
import static io.migrationgate.contract.RunnerOptions.SCHEMAS;
import static io.migrationgate.contract.RunnerOptions.SCRIPTS;
import static io.migrationgate.contract.RunnerOptions.SCRIPTS_IMAGE;
import static io.migrationgate.contract.RunnerOptions.TABLE;
import static io.migrationgate.contract.RunnerOptions.TARGET;
import static io.migrationgate.contract.RunnerOptions.URL;
import static io.migrationgate.contract.RunnerOptions.VERIFY;
import static io.migrationgate.contract.RunnerOptions.VERIFY_TIMEOUT;
import static io.migrationgate.contract.RunnerOptions.option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runner's command line, written by the operator ({@link #toArgs()}, into the Job) and read by
 * the runner ({@link RunnerCommandParser#parse}), so that the two sides cannot disagree on an
 * option's name, default or spelling ({@link RunnerOptions} holds the names).
 *
 * <p>Credentials are never options: argv is visible in {@code ps} and in the Pod spec, so the
 * runner reads them only from {@link #USERNAME_ENV} and {@link #PASSWORD_ENV}, which the Job fills
 * from a Secret. Only the Secret's name and keys are an option ({@link CredentialsSource}).
 *
 * <p>The scripts are either mounted ({@code scriptsDir}) or, for a plan of an image source, named
 * only ({@code scriptsImage}): nobody's code runs before approval, so the plan reads the database
 * alone. Exactly one of the two is present.
 */
public record RunnerCommand(
    Optional<Path> scriptsDir,
    Optional<String> scriptsImage,
    Optional<String> expectedDigest,
    Optional<PlannedState> expectedState,
    String url,
    Optional<CredentialsSource> credentialsSecret,
    String target,
    List<String> schemas,
    String table,
    boolean outOfOrder,
    boolean baselineOnMigrate,
    Optional<String> baselineVersion,
    Map<String, String> placeholders,
    List<VerifyQuery> verifyQueries,
    Duration connectTimeout,
    Duration verifyTimeout,
    Optional<Path> reportFile) {

  public static final String ENV_PREFIX = "MG_";
  public static final String USERNAME_ENV = "MG_DB_USERNAME";
  public static final String PASSWORD_ENV = "MG_DB_PASSWORD";
  public static final String DEFAULT_TABLE = "flyway_schema_history";
  public static final Path DEFAULT_REPORT_FILE = Path.of("/dev/termination-log");
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_VERIFY_TIMEOUT = Duration.ofSeconds(30);

  public RunnerCommand {
    // Neither: the check program, which only connects.
    if (scriptsDir.isPresent() && scriptsImage.isPresent()) {
      throw new IllegalArgumentException("at most one of scriptsDir and scriptsImage, not " + scriptsDir + " and " + scriptsImage);
    }
    schemas = List.copyOf(schemas);
    placeholders = Collections.unmodifiableMap(new LinkedHashMap<>(placeholders));
    verifyQueries = List.copyOf(verifyQueries);
  }

  /** A command with every optional setting at its default. */
  public static RunnerCommand of(Path scriptsDir, String url) {
    return new RunnerCommand(Optional.of(scriptsDir), Optional.empty(), Optional.empty(), Optional.empty(), url, Optional.empty(), Versions.LATEST, List.of(), DEFAULT_TABLE, false,
        false, Optional.empty(), Map.of(), List.of(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_VERIFY_TIMEOUT,
        Optional.of(DEFAULT_REPORT_FILE));
  }

  /** The command line as the operator writes it: defaults of the timeouts are left out. */
  public List<String> toArgs() {
    List<String> args = new ArrayList<>();
    scriptsDir.ifPresent(dir -> args.add(option(SCRIPTS, dir.toString())));
    scriptsImage.ifPresent(image -> args.add(option(SCRIPTS_IMAGE, image)));
    expectedDigest.ifPresent(digest -> args.add(option(EXPECTED_DIGEST, digest)));
    expectedState.ifPresent(state -> args.add(option(EXPECTED_STATE, state.toString())));
    args.add(option(URL, url));
    credentialsSecret.ifPresent(source -> args.add(option(CREDENTIALS_SECRET, source.toString())));
    args.add(option(TARGET, target));
    if (!schemas.isEmpty()) {
      args.add(option(SCHEMAS, String.join(",", schemas)));
    }
    args.add(option(TABLE, table));
    args.add(option(OUT_OF_ORDER, Boolean.toString(outOfOrder)));
    args.add(option(BASELINE_ON_MIGRATE, Boolean.toString(baselineOnMigrate)));
    baselineVersion.ifPresent(version -> args.add(option(BASELINE_VERSION, version)));
    if (!placeholders.isEmpty()) {
      args.add(option(PLACEHOLDERS, RunnerJsonOptions.write(placeholders)));
    }
    if (!verifyQueries.isEmpty()) {
      args.add(option(VERIFY, RunnerJsonOptions.write(verifyQueries)));
    }
    if (!connectTimeout.equals(DEFAULT_CONNECT_TIMEOUT)) {
      args.add(option(CONNECT_TIMEOUT, Durations.format(connectTimeout)));
    }
    if (!verifyTimeout.equals(DEFAULT_VERIFY_TIMEOUT)) {
      args.add(option(VERIFY_TIMEOUT, Durations.format(verifyTimeout)));
    }
    args.add(option(REPORT_FILE, reportFile.map(Path::toString).orElse(NO_REPORT_FILE)));
    return args;
  }

  /** Shows no query string: its parameters are not secret, but a URL mistyped by hand might be. */
  @Override
  public String toString() {
    return "RunnerCommand[scripts=" + scriptsDir.map(Path::toString).orElse("in image " + scriptsImage.orElse("")) + ", url=" + JdbcUrl.printable(url) + ", target=" + target + "]";
  }
}
