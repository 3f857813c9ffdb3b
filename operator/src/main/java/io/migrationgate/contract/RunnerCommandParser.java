package io.migrationgate.contract;

import static io.migrationgate.contract.RunnerOptions.BASELINE_ON_MIGRATE;
import static io.migrationgate.contract.RunnerOptions.BASELINE_VERSION;
import static io.migrationgate.contract.RunnerOptions.CONNECT_TIMEOUT;
import static io.migrationgate.contract.RunnerOptions.CREDENTIALS_SECRET;
import static io.migrationgate.contract.RunnerOptions.EXPECTED_DIGEST;
import static io.migrationgate.contract.RunnerOptions.EXPECTED_STATE;
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
import static io.migrationgate.contract.RunnerOptions.envName;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the runner's command line ({@link RunnerCommand#toArgs()} is what the operator writes).
 * Parsing decides everything before any file or network is touched, and refuses what the operator
 * would never write with a message naming the option; docs/runner.md lists them. Each option
 * {@code --some-name=value} may also come from the variable {@code MG_SOME_NAME}; the command line
 * wins when both are set.
 */
public final class RunnerCommandParser {

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private RunnerCommandParser() {}

  public static RunnerCommand parse(List<String> args) throws BadArgumentsException {
    return parse(args, Map.of());
  }

  /** Reads the command line, and for each option it lacks the MG_* variable in {@code env}. */
  public static RunnerCommand parse(List<String> args, Map<String, String> env) throws BadArgumentsException {
    return parse(args, env, true);
  }

  /** {@code scriptsRequired} is false for the {@code check} program, which only connects. */
  public static RunnerCommand parse(List<String> args, Map<String, String> env, boolean scriptsRequired)
      throws BadArgumentsException {
    Map<String, String> values = merge(readCommandLine(args), env);

    Optional<String> scriptsImage = optional(values, SCRIPTS_IMAGE);
    if (scriptsImage.isPresent() == optional(values, SCRIPTS).isPresent()
        && (scriptsRequired || scriptsImage.isPresent())) {
      throw new BadArgumentsException(scriptsImage.isPresent()
          ? "--" + SCRIPTS + " and --" + SCRIPTS_IMAGE + " are given together; give one: the mounted scripts, or"
              + " (plan only) the image that holds them"
          : "--" + SCRIPTS + " is required (or set " + envName(SCRIPTS) + "), or --" + SCRIPTS_IMAGE
              + " for a plan of scripts kept in an image");
    }
    if (scriptsImage.isPresent() && !PinnedImage.isPinned(scriptsImage.get())) {
      throw new BadArgumentsException("--" + SCRIPTS_IMAGE + " must be " + PinnedImage.HINT + ", got "
          + scriptsImage.get());
    }
    Optional<Path> scriptsDir = optional(values, SCRIPTS).isPresent()
        ? Optional.of(path(SCRIPTS, optional(values, SCRIPTS).get())) : Optional.empty();

    Optional<String> expectedDigest = optional(values, EXPECTED_DIGEST).map(d -> d.toLowerCase(Locale.ROOT));
    if (expectedDigest.isPresent() && !DIGEST.matcher(expectedDigest.get()).matches()) {
      throw new BadArgumentsException(
          "--expected-digest must look like sha256:<64 hex digits>, got " + values.get(EXPECTED_DIGEST));
    }

    Optional<PlannedState> expectedState = Optional.empty();
    if (optional(values, EXPECTED_STATE).isPresent()) {
      try {
        expectedState = Optional.of(PlannedState.parse(optional(values, EXPECTED_STATE).get()));
      } catch (IllegalArgumentException e) {
        throw new BadArgumentsException("--" + EXPECTED_STATE + ": " + e.getMessage()
            + "; pass the plannedState of the plan report unchanged");
      }
    }

    String url = required(values, URL);
    if (!JdbcUrl.hasSupportedScheme(url)) {
      throw new BadArgumentsException(
          "--url must start with one of " + JdbcUrl.SCHEME_HINT + "; got " + JdbcUrl.printable(url));
    }
    if (JdbcUrl.carriesCredentials(url)) {
      throw new BadArgumentsException("--url must not carry a password or user name; remove them and set "
          + RunnerCommand.USERNAME_ENV + " and " + RunnerCommand.PASSWORD_ENV + " instead");
    }
    Optional<String> refused = JdbcUrl.problem(url);
    if (refused.isPresent()) {
      throw new BadArgumentsException("--url: " + refused.get());
    }

    Optional<CredentialsSource> credentialsSecret = Optional.empty();
    if (optional(values, CREDENTIALS_SECRET).isPresent()) {
      try {
        credentialsSecret = Optional.of(CredentialsSource.parse(optional(values, CREDENTIALS_SECRET).get()));
      } catch (IllegalArgumentException e) {
        throw new BadArgumentsException("--" + CREDENTIALS_SECRET + " " + e.getMessage());
      }
    }

    String target = optional(values, TARGET).orElse(Versions.LATEST);
    if (!Versions.isTarget(target)) {
      throw new BadArgumentsException("--target must be " + Versions.TARGET_HINT + ", got " + target);
    }

    List<String> schemas = new ArrayList<>();
    for (String schema : optional(values, SCHEMAS).orElse("").split(",")) {
      if (!schema.isBlank()) {
        schemas.add(identifier(SCHEMAS, schema.strip()));
      }
    }
    String table = identifier(TABLE, optional(values, TABLE).orElse(RunnerCommand.DEFAULT_TABLE));

    Optional<String> baselineVersion = optional(values, BASELINE_VERSION);
    if (baselineVersion.isPresent() && !Versions.isVersion(baselineVersion.get())) {
      throw new BadArgumentsException(
          "--baseline-version must be a version like 1 or 2.1, got " + baselineVersion.get());
    }

    return new RunnerCommand(
        scriptsDir,
        scriptsImage,
        expectedDigest,
        expectedState,
        url,
        credentialsSecret,
        target,
        schemas,
        table,
        bool(values, OUT_OF_ORDER),
        bool(values, BASELINE_ON_MIGRATE),
        baselineVersion,
        RunnerJsonOptions.placeholders(optional(values, PLACEHOLDERS)),
        RunnerJsonOptions.verifyQueries(optional(values, VERIFY)),
        duration(values, CONNECT_TIMEOUT, RunnerCommand.DEFAULT_CONNECT_TIMEOUT),
        duration(values, VERIFY_TIMEOUT, RunnerCommand.DEFAULT_VERIFY_TIMEOUT),
        reportFile(values));
  }

  /**
   * Where a report should go even when the arguments as a whole are unusable, so that a
   * BAD_ARGUMENTS outcome still reaches the termination message.
   */
  public static Optional<Path> reportFileDespiteBadArguments(List<String> args, Map<String, String> env) {
    String fromArgs = null;
    for (String arg : args) {
      if (arg.startsWith("--" + REPORT_FILE + "=")) {
        fromArgs = arg.substring(("--" + REPORT_FILE + "=").length());
      }
    }
    String value = fromArgs != null ? fromArgs : env.get(envName(REPORT_FILE));
    if (value == null) {
      return Optional.of(RunnerCommand.DEFAULT_REPORT_FILE);
    }
    try {
      return reportFile(value);
    } catch (BadArgumentsException e) {
      return Optional.of(RunnerCommand.DEFAULT_REPORT_FILE);
    }
  }

  private static Map<String, String> readCommandLine(List<String> args) throws BadArgumentsException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new BadArgumentsException(
            "unexpected argument '" + arg + "'; options look like --name=value");
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
      if (RunnerOptions.CREDENTIALS.contains(name)) {
        throw new BadArgumentsException(
            "--" + name + " is refused: command lines are visible to anyone who can read the Pod;"
                + " set " + RunnerCommand.USERNAME_ENV + " and " + RunnerCommand.PASSWORD_ENV + " from a Secret instead");
      }
      if (!RunnerOptions.ALL.contains(name)) {
        throw new BadArgumentsException("unknown option --" + name + "; see --help");
      }
      String value;
      if (equals >= 0) {
        value = arg.substring(equals + 1);
      } else if (RunnerOptions.BOOLEANS.contains(name)) {
        value = "true";
      } else {
        throw new BadArgumentsException("--" + name + " needs a value: --" + name + "=VALUE");
      }
      if (values.put(name, value) != null) {
        throw new BadArgumentsException("--" + name + " is given more than once");
      }
    }
    return values;
  }

  private static Map<String, String> merge(Map<String, String> commandLine, Map<String, String> env) {
    Map<String, String> merged = new LinkedHashMap<>();
    for (String option : RunnerOptions.ALL) {
      String value = commandLine.containsKey(option) ? commandLine.get(option) : env.get(envName(option));
      if (value != null) {
        merged.put(option, value);
      }
    }
    return merged;
  }

  private static String required(Map<String, String> values, String option) throws BadArgumentsException {
    Optional<String> value = optional(values, option);
    if (value.isEmpty()) {
      throw new BadArgumentsException("--" + option + " is required (or set " + envName(option) + ")");
    }
    return value.get();
  }

  /** An empty value counts as absent, so a Job template can always set every variable. */
  private static Optional<String> optional(Map<String, String> values, String option) {
    return Optional.ofNullable(values.get(option)).filter(v -> !v.isBlank()).map(String::strip);
  }

  private static boolean bool(Map<String, String> values, String option) throws BadArgumentsException {
    Optional<String> value = optional(values, option);
    if (value.isEmpty()) {
      return false;
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new BadArgumentsException("--" + option + " must be true or false, got " + value.get());
    };
  }

  private static Duration duration(Map<String, String> values, String option, Duration fallback)
      throws BadArgumentsException {
    Optional<String> value = optional(values, option);
    if (value.isEmpty()) {
      return fallback;
    }
    Duration duration;
    try {
      duration = Durations.parse(value.get());
    } catch (IllegalArgumentException e) {
      throw new BadArgumentsException("--" + option + "=" + value.get() + " " + e.getMessage());
    }
    if (duration.isZero()) {
      throw new BadArgumentsException("--" + option + " must be longer than zero");
    }
    return duration;
  }

  private static String identifier(String option, String value) throws BadArgumentsException {
    if (!SqlIdentifier.isIdentifier(value)) {
      throw new BadArgumentsException("--" + option + ": '" + value + "' is not " + SqlIdentifier.HINT);
    }
    return value;
  }

  private static Path path(String option, String value) throws BadArgumentsException {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new BadArgumentsException("--" + option + "=" + value + " is not a usable path");
    }
  }

  private static Optional<Path> reportFile(Map<String, String> values) throws BadArgumentsException {
    return values.containsKey(REPORT_FILE) ? reportFile(values.get(REPORT_FILE))
        : Optional.of(RunnerCommand.DEFAULT_REPORT_FILE);
  }

  /** An empty value or {@code -} means no report file. */
  private static Optional<Path> reportFile(String value) throws BadArgumentsException {
    String stripped = value.strip();
    if (stripped.isEmpty() || stripped.equals(RunnerOptions.NO_REPORT_FILE)) {
      return Optional.empty();
    }
    return Optional.of(path(REPORT_FILE, stripped));
  }
}
