package io.migrationgate.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migrationgate.contract.JdbcUrl;
import io.migrationgate.contract.SingleStatement;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything one run needs, decided from the command line and the environment before any file or
 * network is touched.
 *
 * <p>Each option {@code --some-name=value} may also come from the variable {@code MG_SOME_NAME}, so
 * the Job factory can pass long JSON values (placeholders, verify queries) through {@code env}
 * instead of argv; the command line wins when both are set. Credentials are never options: argv is
 * visible in {@code ps} and in the Pod spec, so they only come from {@code MG_DB_USERNAME} and
 * {@code MG_DB_PASSWORD}, which the Job fills from a Secret.
 */
public record RunnerArguments(
    Path scriptsDir,
    Optional<String> expectedDigest,
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
    Optional<Path> reportFile,
    Optional<String> username,
    Optional<String> password) {

  public static final String ENV_PREFIX = "MG_";
  public static final String USERNAME_ENV = "MG_DB_USERNAME";
  public static final String PASSWORD_ENV = "MG_DB_PASSWORD";
  public static final String DEFAULT_TABLE = "flyway_schema_history";
  public static final String LATEST = "latest";
  public static final Path DEFAULT_REPORT_FILE = Path.of("/dev/termination-log");
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_VERIFY_TIMEOUT = Duration.ofSeconds(30);

  static final List<String> OPTIONS =
      List.of(
          "scripts",
          "expected-digest",
          "url",
          "target",
          "schemas",
          "table",
          "out-of-order",
          "baseline-on-migrate",
          "baseline-version",
          "placeholders",
          "verify",
          "connect-timeout",
          "verify-timeout",
          "report-file");

  private static final Set<String> CREDENTIAL_OPTIONS =
      Set.of("password", "db-password", "user", "username", "db-username", "db-user");
  private static final Set<String> BOOLEAN_OPTIONS = Set.of("out-of-order", "baseline-on-migrate");
  private static final List<String> JDBC_PREFIXES =
      List.of("jdbc:postgresql:", "jdbc:mysql:", "jdbc:mariadb:");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern VERSION = Pattern.compile("\\d+(?:[._]\\d+)*");
  private static final Pattern PASSWORD_IN_URL =
      Pattern.compile("(?i)([?&;]password=)|(//[^/@?]*:[^/@?]*@)");
  private static final ObjectMapper JSON = new ObjectMapper();

  public RunnerArguments {
    schemas = List.copyOf(schemas);
    placeholders = Collections.unmodifiableMap(new LinkedHashMap<>(placeholders));
    verifyQueries = List.copyOf(verifyQueries);
  }

  /** The usage text printed for {@code --help} and after a bad option. */
  public static String usage() {
    return """
        usage: migration-gate run --scripts=DIR --url=JDBC_URL [options]
          --scripts=DIR                 mounted scripts (top-level files; names starting with '.' ignored)
          --expected-digest=sha256:HEX  refuse to connect unless the scripts have this digest
          --url=JDBC_URL                jdbc:postgresql:, jdbc:mysql: or jdbc:mariadb: (no password in it)
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

  public static boolean wantsHelp(String[] args) {
    return Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h");
  }

  public static RunnerArguments parse(String[] args, Map<String, String> env)
      throws BadArgumentsException {
    Map<String, String> values = merge(readCommandLine(args), env);

    String scripts = required(values, "scripts");
    Path scriptsDir = path("scripts", scripts);

    Optional<String> expectedDigest = optional(values, "expected-digest").map(d -> d.toLowerCase(Locale.ROOT));
    if (expectedDigest.isPresent() && !DIGEST.matcher(expectedDigest.get()).matches()) {
      throw new BadArgumentsException(
          "--expected-digest must look like sha256:<64 hex digits>, got " + values.get("expected-digest"));
    }

    String url = required(values, "url");
    if (JDBC_PREFIXES.stream().noneMatch(url::startsWith)) {
      throw new BadArgumentsException(
          "--url must start with one of " + String.join(", ", JDBC_PREFIXES) + "; got " + redact(url));
    }
    if (PASSWORD_IN_URL.matcher(url).find()) {
      throw new BadArgumentsException(
          "--url must not carry a password; remove it and set " + PASSWORD_ENV + " instead");
    }
    try {
      JdbcUrl.parse(url);
    } catch (JdbcUrl.RefusedUrlException e) {
      throw new BadArgumentsException("--url: " + e.getMessage());
    }

    String target = optional(values, "target").orElse(LATEST);
    if (!target.equalsIgnoreCase(LATEST) && !VERSION.matcher(target).matches()) {
      throw new BadArgumentsException(
          "--target must be 'latest' or a version like 5 or 2.1, got " + target);
    }
    if (target.equalsIgnoreCase(LATEST)) {
      target = LATEST;
    }

    List<String> schemas = new ArrayList<>();
    for (String schema : optional(values, "schemas").orElse("").split(",")) {
      if (!schema.isBlank()) {
        schemas.add(schema.strip());
      }
    }

    Optional<String> baselineVersion = optional(values, "baseline-version");
    if (baselineVersion.isPresent() && !VERSION.matcher(baselineVersion.get()).matches()) {
      throw new BadArgumentsException(
          "--baseline-version must be a version like 1 or 2.1, got " + baselineVersion.get());
    }

    return new RunnerArguments(
        scriptsDir,
        expectedDigest,
        url,
        target,
        schemas,
        optional(values, "table").orElse(DEFAULT_TABLE),
        bool(values, "out-of-order"),
        bool(values, "baseline-on-migrate"),
        baselineVersion,
        placeholders(optional(values, "placeholders")),
        verifyQueries(optional(values, "verify")),
        duration(values, "connect-timeout", DEFAULT_CONNECT_TIMEOUT),
        duration(values, "verify-timeout", DEFAULT_VERIFY_TIMEOUT),
        reportFile(values),
        nonBlank(env.get(USERNAME_ENV)),
        Optional.ofNullable(env.get(PASSWORD_ENV)).filter(p -> !p.isEmpty()));
  }

  /**
   * Where a report should go even when the arguments as a whole are unusable, so that a
   * BAD_ARGUMENTS outcome still reaches the termination message.
   */
  public static Optional<Path> reportFileDespiteBadArguments(String[] args, Map<String, String> env) {
    String fromArgs = null;
    for (String arg : args) {
      if (arg.startsWith("--report-file=")) {
        fromArgs = arg.substring("--report-file=".length());
      }
    }
    String value = fromArgs != null ? fromArgs : env.get(envName("report-file"));
    if (value == null) {
      return Optional.of(DEFAULT_REPORT_FILE);
    }
    if (value.isBlank() || value.strip().equals("-")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(value.strip()));
    } catch (InvalidPathException e) {
      return Optional.of(DEFAULT_REPORT_FILE);
    }
  }

  static String envName(String option) {
    return ENV_PREFIX + option.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static Map<String, String> readCommandLine(String[] args) throws BadArgumentsException {
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

  private static String required(Map<String, String> values, String option)
      throws BadArgumentsException {
    return optional(values, option)
        .orElseThrow(
            () ->
                new BadArgumentsException(
                    "--" + option + " is required (or set " + envName(option) + ")"));
  }

  /** An empty value counts as absent, so a Job template can always set every variable. */
  private static Optional<String> optional(Map<String, String> values, String option) {
    return nonBlank(values.get(option)).map(String::strip);
  }

  private static Optional<String> nonBlank(String value) {
    return Optional.ofNullable(value).filter(v -> !v.isBlank());
  }

  private static boolean bool(Map<String, String> values, String option)
      throws BadArgumentsException {
    Optional<String> value = optional(values, option);
    if (value.isEmpty()) {
      return false;
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new BadArgumentsException(
              "--" + option + " must be true or false, got " + value.get());
    };
  }

  private static Duration duration(Map<String, String> values, String option, Duration fallback)
      throws BadArgumentsException {
    Optional<String> value = optional(values, option);
    return value.isEmpty() ? fallback : DurationOption.parse(option, value.get());
  }

  private static Path path(String option, String value) throws BadArgumentsException {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new BadArgumentsException("--" + option + "=" + value + " is not a usable path");
    }
  }

  private static Optional<Path> reportFile(Map<String, String> values)
      throws BadArgumentsException {
    if (!values.containsKey("report-file")) {
      return Optional.of(DEFAULT_REPORT_FILE);
    }
    String value = values.get("report-file").strip();
    if (value.isEmpty() || value.equals("-")) {
      return Optional.empty();
    }
    return Optional.of(path("report-file", value));
  }

  private static Map<String, String> placeholders(Optional<String> json)
      throws BadArgumentsException {
    Map<String, String> placeholders = new LinkedHashMap<>();
    if (json.isEmpty()) {
      return placeholders;
    }
    JsonNode tree = readJson("placeholders", json.get());
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

  private static List<VerifyQuery> verifyQueries(Optional<String> json)
      throws BadArgumentsException {
    List<VerifyQuery> queries = new ArrayList<>();
    if (json.isEmpty()) {
      return queries;
    }
    JsonNode tree = readJson("verify", json.get());
    if (!tree.isArray()) {
      throw new BadArgumentsException(
          "--verify must be a JSON array like [{\"name\":...,\"sql\":...,\"expect\":...}]");
    }
    Set<String> names = new HashSet<>();
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
      if (expect == null || !(expect.isValueNode())) {
        throw new BadArgumentsException(
            "--verify: entry " + i + " (\"" + name + "\") needs \"expect\", the first column of"
                + " the first row as a string");
      }
      if (!names.add(name)) {
        throw new BadArgumentsException("--verify: the name \"" + name + "\" is used twice");
      }
      // A JSON null means "expect SQL NULL", which the comparison spells "null".
      queries.add(new VerifyQuery(name, sql, expect.isNull() ? "null" : expect.asText()));
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
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new BadArgumentsException(
          "--" + option + " is not valid JSON: " + OneLine.of(e.getOriginalMessage()));
    }
  }

  /** The URL as safe to print: query parameters may carry secrets the user did not mean to share. */
  static String redact(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?...";
  }

  @Override
  public String toString() {
    return "RunnerArguments[scripts="
        + scriptsDir
        + ", url="
        + redact(url)
        + ", target="
        + target
        + ", username="
        + username.orElse("<none>")
        + ", password="
        + (password.isPresent() ? "<set>" : "<none>")
        + "]";
  }
}
