package io.migrationgate.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The runner's command line, written by the operator ({@link #toArgs()}, into the Job) and read by
 * the runner ({@link #parse}), so that the two sides cannot disagree on an option's name, default
 * or spelling. Parsing decides everything before any file or network is touched, and refuses what
 * the operator would never write with a message naming the option; docs/runner.md lists them.
 *
 * <p>Each option {@code --some-name=value} may also come from the variable {@code MG_SOME_NAME};
 * the command line wins when both are set. Credentials are never options: argv is visible in
 * {@code ps} and in the Pod spec, so the runner reads them only from {@link #USERNAME_ENV} and
 * {@link #PASSWORD_ENV}, which the Job fills from a Secret.
 */
public record RunnerCommand(
    Path scriptsDir,
    Optional<String> expectedDigest,
    Optional<PlannedState> expectedState,
    String url,
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

  private static final String SCRIPTS = "scripts";
  private static final String EXPECTED_DIGEST = "expected-digest";
  private static final String EXPECTED_STATE = "expected-state";
  private static final String URL = "url";
  private static final String TARGET = "target";
  private static final String SCHEMAS = "schemas";
  private static final String TABLE = "table";
  private static final String OUT_OF_ORDER = "out-of-order";
  private static final String BASELINE_ON_MIGRATE = "baseline-on-migrate";
  private static final String BASELINE_VERSION = "baseline-version";
  private static final String PLACEHOLDERS = "placeholders";
  private static final String VERIFY = "verify";
  private static final String CONNECT_TIMEOUT = "connect-timeout";
  private static final String VERIFY_TIMEOUT = "verify-timeout";
  private static final String REPORT_FILE = "report-file";

  static final List<String> OPTIONS = List.of(SCRIPTS, EXPECTED_DIGEST, EXPECTED_STATE, URL, TARGET, SCHEMAS, TABLE, OUT_OF_ORDER,
      BASELINE_ON_MIGRATE, BASELINE_VERSION, PLACEHOLDERS, VERIFY, CONNECT_TIMEOUT, VERIFY_TIMEOUT, REPORT_FILE);

  private static final Set<String> CREDENTIAL_OPTIONS =
      Set.of("password", "db-password", "user", "username", "db-username", "db-user");
  private static final Set<String> BOOLEAN_OPTIONS = Set.of(OUT_OF_ORDER, BASELINE_ON_MIGRATE);
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final String NO_REPORT_FILE = "-";
  // Built only for the JSON options (--placeholders, --verify): a plan without them never pays for
  // databind.
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  public RunnerCommand {
    schemas = List.copyOf(schemas);
    placeholders = Collections.unmodifiableMap(new LinkedHashMap<>(placeholders));
    verifyQueries = List.copyOf(verifyQueries);
  }

  /** A command with every optional setting at its default. */
  public static RunnerCommand of(Path scriptsDir, String url) {
    return new RunnerCommand(scriptsDir, Optional.empty(), Optional.empty(), url, Versions.LATEST, List.of(), DEFAULT_TABLE, false,
        false, Optional.empty(), Map.of(), List.of(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_VERIFY_TIMEOUT,
        Optional.of(DEFAULT_REPORT_FILE));
  }

  /** The usage text printed for {@code --help} and after a bad option. */
  public static String usage() {
    return """
        usage: migration-gate run|plan --scripts=DIR --url=JDBC_URL [options]
          run migrates; plan only reads the database and reports what run would apply
          --scripts=DIR                 mounted scripts (top-level files; names starting with '.' ignored)
          --expected-digest=sha256:HEX  refuse to connect unless the scripts have this digest
          --expected-state=STATE        run: apply nothing unless the database is still in this state, the
                                        plannedState of the plan report (version=V;history=sha256:HEX)
          --url=JDBC_URL                jdbc:postgresql:, jdbc:mysql: or jdbc:mariadb: (no credentials in it)
          --target=latest|VERSION       migrate up to this version (default latest)
          --schemas=a,b  --table=NAME   Flyway schemas and history table (default flyway_schema_history)
          --out-of-order=true|false  --baseline-on-migrate=true|false  --baseline-version=V
          --placeholders=JSON_OBJECT    {"name":"value",...}
          --verify=JSON_ARRAY           [{"name":...,"sql":...,"expect":...},...]
          --connect-timeout=30s  --verify-timeout=30s
          --report-file=PATH            compact report destination (default /dev/termination-log; '-' disables)
        Every option may come from MG_<NAME> instead (e.g. MG_EXPECTED_DIGEST); the command line wins.
        Credentials only from MG_DB_USERNAME and MG_DB_PASSWORD.
        """;
  }

  public static boolean wantsHelp(List<String> args) {
    return args.contains("--help") || args.contains("-h");
  }

  /** The command line as the operator writes it: defaults of the timeouts are left out. */
  public List<String> toArgs() {
    List<String> args = new ArrayList<>();
    args.add(option(SCRIPTS, scriptsDir.toString()));
    expectedDigest.ifPresent(digest -> args.add(option(EXPECTED_DIGEST, digest)));
    expectedState.ifPresent(state -> args.add(option(EXPECTED_STATE, state.toString())));
    args.add(option(URL, url));
    args.add(option(TARGET, target));
    if (!schemas.isEmpty()) {
      args.add(option(SCHEMAS, String.join(",", schemas)));
    }
    args.add(option(TABLE, table));
    args.add(option(OUT_OF_ORDER, Boolean.toString(outOfOrder)));
    args.add(option(BASELINE_ON_MIGRATE, Boolean.toString(baselineOnMigrate)));
    baselineVersion.ifPresent(version -> args.add(option(BASELINE_VERSION, version)));
    if (!placeholders.isEmpty()) {
      args.add(option(PLACEHOLDERS, json(placeholders)));
    }
    if (!verifyQueries.isEmpty()) {
      args.add(option(VERIFY, json(verifyQueries)));
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

  public static RunnerCommand parse(List<String> args) throws BadArgumentsException {
    return parse(args, Map.of());
  }

  /** Reads the command line, and for each option it lacks the MG_* variable in {@code env}. */
  public static RunnerCommand parse(List<String> args, Map<String, String> env) throws BadArgumentsException {
    Map<String, String> values = merge(readCommandLine(args), env);

    Path scriptsDir = path(SCRIPTS, required(values, SCRIPTS));

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
          + USERNAME_ENV + " and " + PASSWORD_ENV + " instead");
    }
    Optional<String> refused = JdbcUrl.problem(url);
    if (refused.isPresent()) {
      throw new BadArgumentsException("--url: " + refused.get());
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
    String table = identifier(TABLE, optional(values, TABLE).orElse(DEFAULT_TABLE));

    Optional<String> baselineVersion = optional(values, BASELINE_VERSION);
    if (baselineVersion.isPresent() && !Versions.isVersion(baselineVersion.get())) {
      throw new BadArgumentsException(
          "--baseline-version must be a version like 1 or 2.1, got " + baselineVersion.get());
    }

    return new RunnerCommand(
        scriptsDir,
        expectedDigest,
        expectedState,
        url,
        target,
        schemas,
        table,
        bool(values, OUT_OF_ORDER),
        bool(values, BASELINE_ON_MIGRATE),
        baselineVersion,
        placeholders(optional(values, PLACEHOLDERS)),
        verifyQueries(optional(values, VERIFY)),
        duration(values, CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT),
        duration(values, VERIFY_TIMEOUT, DEFAULT_VERIFY_TIMEOUT),
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
      return Optional.of(DEFAULT_REPORT_FILE);
    }
    try {
      return reportFile(value);
    } catch (BadArgumentsException e) {
      return Optional.of(DEFAULT_REPORT_FILE);
    }
  }

  static String envName(String option) {
    return ENV_PREFIX + option.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static String option(String name, String value) {
    return "--" + name + "=" + value;
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
      if (CREDENTIAL_OPTIONS.contains(name)) {
        throw new BadArgumentsException(
            "--" + name + " is refused: command lines are visible to anyone who can read the Pod;"
                + " set " + USERNAME_ENV + " and " + PASSWORD_ENV + " from a Secret instead");
      }
      if (!OPTIONS.contains(name)) {
        throw new BadArgumentsException("unknown option --" + name + "; see --help");
      }
      String value;
      if (equals >= 0) {
        value = arg.substring(equals + 1);
      } else if (BOOLEAN_OPTIONS.contains(name)) {
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
    for (String option : OPTIONS) {
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
    return values.containsKey(REPORT_FILE) ? reportFile(values.get(REPORT_FILE)) : Optional.of(DEFAULT_REPORT_FILE);
  }

  /** An empty value or {@code -} means no report file. */
  private static Optional<Path> reportFile(String value) throws BadArgumentsException {
    String stripped = value.strip();
    if (stripped.isEmpty() || stripped.equals(NO_REPORT_FILE)) {
      return Optional.empty();
    }
    return Optional.of(path(REPORT_FILE, stripped));
  }

  private static Map<String, String> placeholders(Optional<String> json) throws BadArgumentsException {
    Map<String, String> placeholders = new LinkedHashMap<>();
    if (json.isEmpty()) {
      return placeholders;
    }
    JsonNode tree = readJson(PLACEHOLDERS, json.get());
    if (!tree.isObject()) {
      throw new BadArgumentsException(
          "--placeholders must be a JSON object of names to strings, like {\"owner\":\"app\"}");
    }
    Iterator<Map.Entry<String, JsonNode>> fields = tree.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getValue().isTextual()) {
        throw new BadArgumentsException(
            "--placeholders: the value of \"" + field.getKey() + "\" must be a JSON string");
      }
      placeholders.put(field.getKey(), field.getValue().textValue());
    }
    return placeholders;
  }

  private static List<VerifyQuery> verifyQueries(Optional<String> json) throws BadArgumentsException {
    List<VerifyQuery> queries = new ArrayList<>();
    if (json.isEmpty()) {
      return queries;
    }
    JsonNode tree = readJson(VERIFY, json.get());
    if (!tree.isArray()) {
      throw new BadArgumentsException(
          "--verify must be a JSON array like [{\"name\":...,\"sql\":...,\"expect\":...}]");
    }
    for (int i = 0; i < tree.size(); i++) {
      JsonNode query = tree.get(i);
      if (!query.isObject()) {
        throw new BadArgumentsException("--verify: entry " + i + " must be a JSON object");
      }
      String name = text(query, "name", i);
      String sql = text(query, "sql", i);
      Optional<String> notOne = SingleStatement.problem(sql);
      if (notOne.isPresent()) {
        throw new BadArgumentsException("--verify: \"" + name + "\" " + notOne.get());
      }
      JsonNode expect = query.get("expect");
      if (expect == null || !expect.isValueNode()) {
        throw new BadArgumentsException(
            "--verify: entry " + i + " (\"" + name + "\") needs \"expect\", the first column of"
                + " the first row as a string");
      }
      // A JSON null means "expect SQL NULL", which the comparison spells "null".
      queries.add(new VerifyQuery(name, sql, expect.isNull() ? "null" : expect.asText()));
    }
    Optional<String> repeated = VerifyQuery.repeatedName(queries.stream().map(VerifyQuery::name).toList());
    if (repeated.isPresent()) {
      throw new BadArgumentsException("--verify: the name \"" + repeated.get() + "\" is used twice");
    }
    return queries;
  }

  private static String text(JsonNode query, String field, int index) throws BadArgumentsException {
    JsonNode value = query.get(field);
    if (value == null || !value.isTextual() || value.textValue().isBlank()) {
      throw new BadArgumentsException(
          "--verify: entry " + index + " needs a non-empty string \"" + field + "\"");
    }
    return value.textValue();
  }

  private static JsonNode readJson(String option, String json) throws BadArgumentsException {
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new BadArgumentsException(
          "--" + option + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String json(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("placeholders and verify queries are plain strings", e);
    }
  }

  /** Shows no query string: its parameters are not secret, but a URL mistyped by hand might be. */
  @Override
  public String toString() {
    return "RunnerCommand[scripts=" + scriptsDir + ", url=" + JdbcUrl.printable(url) + ", target=" + target + "]";
  }
}
