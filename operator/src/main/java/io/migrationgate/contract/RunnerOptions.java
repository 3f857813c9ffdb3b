package io.migrationgate.contract;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The runner's vocabulary: each option's name, the variable that may stand in for it, and the help
 * text. {@link RunnerCommand#toArgs()} writes these names and {@link RunnerCommandParser} reads them,
 * so the two sides take every spelling from one place.
 */
public final class RunnerOptions {

  static final String SCRIPTS = "scripts";
  static final String SCRIPTS_IMAGE = "scripts-image";
  static final String EXPECTED_DIGEST = "expected-digest";
  static final String EXPECTED_STATE = "expected-state";
  static final String URL = "url";
  static final String CREDENTIALS_SECRET = "credentials-secret";
  static final String TARGET = "target";
  static final String SCHEMAS = "schemas";
  static final String TABLE = "table";
  static final String OUT_OF_ORDER = "out-of-order";
  static final String BASELINE_ON_MIGRATE = "baseline-on-migrate";
  static final String BASELINE_VERSION = "baseline-version";
  static final String PLACEHOLDERS = "placeholders";
  static final String VERIFY = "verify";
  static final String CONNECT_TIMEOUT = "connect-timeout";
  static final String VERIFY_TIMEOUT = "verify-timeout";
  static final String REPORT_FILE = "report-file";

  static final List<String> ALL = List.of(SCRIPTS, SCRIPTS_IMAGE, EXPECTED_DIGEST, EXPECTED_STATE, URL, CREDENTIALS_SECRET, TARGET, SCHEMAS, TABLE,
      OUT_OF_ORDER, BASELINE_ON_MIGRATE, BASELINE_VERSION, PLACEHOLDERS, VERIFY, CONNECT_TIMEOUT, VERIFY_TIMEOUT,
      REPORT_FILE);

  /** Names a person might try for credentials, refused by name so the error can say where they go. */
  static final Set<String> CREDENTIALS = Set.of("password", "db-password", "user", "username", "db-username", "db-user");
  /** Options that may stand alone: {@code --out-of-order} means {@code --out-of-order=true}. */
  static final Set<String> BOOLEANS = Set.of(OUT_OF_ORDER, BASELINE_ON_MIGRATE);
  /** The {@code --report-file} value that means "no report file". */
  static final String NO_REPORT_FILE = "-";

  private RunnerOptions() {}

  /** The usage text printed for {@code --help} and after a bad option. */
  public static String usage() {
    return """
        usage: migration-gate run|plan --scripts=DIR --url=JDBC_URL [options]
               migration-gate plan --scripts-image=IMAGE --url=JDBC_URL [options]
          run migrates; plan only reads the database and reports what run would apply
          --scripts=DIR                 mounted scripts (top-level files; names starting with '.' ignored)
          --scripts-image=IMAGE         plan only, instead of --scripts: the scripts are in IMAGE, which is not
                                        opened before approval; the plan reads the database only
          --expected-digest=sha256:HEX  refuse to connect unless the scripts have this digest
          --expected-state=STATE        run: apply nothing unless the database is still in this state, the
                                        plannedState of the plan report (version=V;history=sha256:HEX)
          --url=JDBC_URL                jdbc:postgresql:, jdbc:mysql: or jdbc:mariadb: (no credentials in it)
          --credentials-secret=SECRET:USERNAME_KEY:PASSWORD_KEY
                                        where MG_DB_USERNAME and MG_DB_PASSWORD come from, by name, for
                                        messages about a refused login (names only, never values)
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

  static String envName(String option) {
    return RunnerCommand.ENV_PREFIX + option.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  static String option(String name, String value) {
    return "--" + name + "=" + value;
  }
}
