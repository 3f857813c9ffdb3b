package io.migrationgate.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one definition of which JDBC URLs a request may name, shared by the CRD's CEL rules, the
 * operator's spec check and the runner.
 *
 * <p>A URL parameter is driver configuration, and driver configuration can run code: MariaDB
 * Connector/J executes {@code initSql} and splits {@code allowMultiQueries} text, PostgreSQL's
 * {@code options} sets server settings, {@code socketFactory} and {@code sslfactory} load classes,
 * {@code PGHOST} overrides the host. None of that is in the approved scripts or their digest. So
 * parameters are allowed by name, per driver, and only those a migration needs: TLS and timeouts.
 * Names compare ignoring case because Connector/J reads {@code INITSQL} as {@code initSql}; values
 * are plain words, so no value can smuggle a separator, a path or a class name.
 *
 * <p>The patterns avoid backslashes so that the CRD can quote them verbatim inside CEL string
 * literals: annotation values must be compile-time constants, and a second, escaped copy would
 * be a second list.
 */
public record JdbcUrl(String driver, List<Host> hosts, String database, Map<String, String> parameters) {

  public record Host(String name, int port) {}

  public static final String POSTGRESQL = "postgresql";
  public static final String MYSQL = "mysql";
  public static final String MARIADB = "mariadb";
  public static final String SCHEMES = POSTGRESQL + "|" + MYSQL + "|" + MARIADB;

  /** The drivers the runner bundles; checked first, so that any other database gets this answer. */
  public static final String SCHEME_PATTERN = "^jdbc:(" + SCHEMES + ")://.+";
  public static final String SCHEME_HINT = "jdbc:postgresql://, jdbc:mysql:// or jdbc:mariadb://";

  /**
   * Credentials as URL parameters or as user-info: credentials come from a Secret, never from a
   * URL that the request, the Job's argv and the evidence show to everyone who can read them. The
   * shape and the allow-lists below refuse these URLs too; these two name the mistake. CEL quotes
   * them in raw strings, because they need backslashes.
   */
  public static final String CREDENTIAL_PARAMETER = "(?i)[?&;]\\s*(password|pwd|user|username)\\s*=";
  public static final String USERINFO = "^jdbc:[a-z]+://[^/?]*@";

  /**
   * PostgreSQL (pgJDBC), each allowed because:
   * <ul>
   *   <li>{@code ssl}, {@code sslmode}: whether and how strictly to use TLS (certificates come from
   *       the driver's defaults; file and factory parameters stay refused);
   *   <li>{@code connectTimeout}, {@code loginTimeout}, {@code socketTimeout}: bound the wait, as the
   *       runner's own connect timeout does;
   *   <li>{@code targetServerType}: with several hosts, makes sure the scripts run on the primary;
   *   <li>{@code ApplicationName}: lets a DBA tell the migration's session apart.
   * </ul>
   * Refused among others: {@code options}, {@code currentSchema} (Flyway's schemas decide the search
   * path), {@code preferQueryMode}, {@code socketFactory}, {@code sslfactory}, {@code sslrootcert},
   * {@code sslcert}, {@code sslkey}, {@code loggerFile}, {@code PGHOST}, {@code service}.
   */
  public static final String POSTGRESQL_PARAMETERS =
      "ssl|sslmode|connectTimeout|loginTimeout|socketTimeout|targetServerType|ApplicationName";

  /**
   * MariaDB Connector/J, which also serves {@code jdbc:mysql:} URLs in the runner, each allowed
   * because:
   * <ul>
   *   <li>{@code sslMode}: whether and how strictly to use TLS;
   *   <li>{@code useSsl}: the older spelling of TLS on (verify-full) that MySQL URLs often carry;
   *   <li>{@code connectTimeout}, {@code socketTimeout}: bound the wait.
   * </ul>
   * Refused among others: {@code initSql}, {@code allowMultiQueries}, {@code sessionVariables},
   * {@code trustServerCertificate} (say {@code sslMode=trust}), {@code serverSslCert},
   * {@code allowPublicKeyRetrieval}, {@code timezone}, {@code permitMysqlScheme} (the runner adds it).
   */
  public static final String MARIADB_PARAMETERS = "sslMode|useSsl|connectTimeout|socketTimeout";

  private static final String VALUE = "[A-Za-z0-9._-]+";
  private static final String POSTGRESQL_PAIR = "(?i:" + POSTGRESQL_PARAMETERS + ")=" + VALUE;
  private static final String MARIADB_PAIR = "(?i:" + MARIADB_PARAMETERS + ")=" + VALUE;

  /** A whole URL whose query holds allowed pairs only; one regex, because CEL prices a split list too high. */
  public static final String POSTGRESQL_QUERY = "^[^?]*([?]" + POSTGRESQL_PAIR + "(&" + POSTGRESQL_PAIR + ")*)?$";
  public static final String MARIADB_QUERY = "^[^?]*([?]" + MARIADB_PAIR + "(&" + MARIADB_PAIR + ")*)?$";

  /** The URL up to its first refused pair, so that a CEL message can name that pair. */
  public static final String POSTGRESQL_ALLOWED_PREFIX = "^[^?]*[?]?(" + POSTGRESQL_PAIR + "&)*";
  public static final String MARIADB_ALLOWED_PREFIX = "^[^?]*[?]?(" + MARIADB_PAIR + "&)*";

  /** DNS names and IPv4 addresses: in-cluster databases are Services; no user-info, no IPv6 literal. */
  private static final String HOST = "[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:[0-9]{1,5})?";

  private static final String DATABASE = "[A-Za-z0-9_$-]+";

  /**
   * Hosts, a database and an optional query; no other place for a parameter (Connector/J's
   * {@code address=(...)} host form, a {@code ;} or a fragment) fits.
   */
  public static final String SHAPE =
      "^jdbc:(" + SCHEMES + ")://" + HOST + "(," + HOST + ")*/"
          + DATABASE + "([?][^?#]+)?$";

  public static final String SHAPE_HINT =
      "jdbc:<postgresql|mysql|mariadb>://host[:port][,host[:port]...]/database[?name=value&...]";

  private static final Pattern SCHEME = Pattern.compile(SCHEME_PATTERN);
  private static final Pattern CREDENTIALS = Pattern.compile(CREDENTIAL_PARAMETER);
  private static final Pattern CREDENTIALS_AS_USERINFO = Pattern.compile(USERINFO);
  private static final Pattern SHAPE_PATTERN = Pattern.compile(SHAPE);
  private static final Pattern VALUE_PATTERN = Pattern.compile(VALUE);

  public JdbcUrl {
    hosts = List.copyOf(hosts);
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** Thrown for a URL outside the allowed shape or with a refused parameter; never echoes values. */
  public static final class RefusedUrlException extends IllegalArgumentException {
    RefusedUrlException(String message) {
      super(message);
    }
  }

  public static JdbcUrl parse(String url) {
    if (url == null || !SHAPE_PATTERN.matcher(url).matches()) {
      throw new RefusedUrlException("must look like " + SHAPE_HINT
          + " (host names or IPv4 addresses; a database name of letters, digits, _, $ and -)");
    }
    String rest = url.substring("jdbc:".length());
    String driver = rest.substring(0, rest.indexOf(':'));
    rest = rest.substring(driver.length() + "://".length());
    int slash = rest.indexOf('/');
    int question = rest.indexOf('?');
    List<Host> hosts = new ArrayList<>();
    for (String host : rest.substring(0, slash).split(",")) {
      hosts.add(host(host, defaultPort(driver)));
    }
    String database = question < 0 ? rest.substring(slash + 1) : rest.substring(slash + 1, question);
    Map<String, String> parameters = question < 0 ? Map.of() : parameters(driver, rest.substring(question + 1));
    return new JdbcUrl(driver, hosts, database, parameters);
  }

  /** The allowed parameter names for a driver, in the spelling the driver documents. */
  public static List<String> allowedParameters(String driver) {
    return Arrays.asList((driver.equals(POSTGRESQL) ? POSTGRESQL_PARAMETERS : MARIADB_PARAMETERS).split("[|]"));
  }

  private static Host host(String host, int defaultPort) {
    int colon = host.indexOf(':');
    if (colon < 0) {
      return new Host(host, defaultPort);
    }
    int port = Integer.parseInt(host.substring(colon + 1));
    if (port < 1 || port > 65535) {
      throw new RefusedUrlException("port " + port + " of host " + host.substring(0, colon)
          + " is not between 1 and 65535");
    }
    return new Host(host.substring(0, colon), port);
  }

  private static int defaultPort(String driver) {
    return driver.equals(POSTGRESQL) ? 5432 : 3306;
  }

  private static Map<String, String> parameters(String driver, String query) {
    List<String> allowed = allowedParameters(driver);
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : query.split("&", -1)) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      if (allowed.stream().noneMatch(name::equalsIgnoreCase)) {
        throw new RefusedUrlException("parameter " + (name.isEmpty() ? "''" : name) + " is not allowed;"
            + " allowed for " + driver + ": " + String.join(", ", allowed));
      }
      if (equals < 0 || !VALUE_PATTERN.matcher(pair.substring(equals + 1)).matches()) {
        throw new RefusedUrlException("parameter " + name + " needs a plain value: letters, digits, '.',"
            + " '_' and '-'");
      }
      // Drivers take the last of repeated names; an approver reading the URL might see the first.
      if (parameters.keySet().stream().anyMatch(seen -> seen.equalsIgnoreCase(name))) {
        throw new RefusedUrlException("parameter " + name + " is given more than once");
      }
      parameters.put(name, pair.substring(equals + 1));
    }
    return parameters;
  }

  public static boolean hasSupportedScheme(String url) {
    return SCHEME.matcher(url).matches();
  }

  public static boolean carriesCredentials(String url) {
    return CREDENTIALS.matcher(url).find() || CREDENTIALS_AS_USERINFO.matcher(url).find();
  }

  /** The URL as safe to print: query parameters may carry secrets the user did not mean to share. */
  public static String printable(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?...";
  }

  /** Why the URL is refused, if it is; the caller says where the URL came from. */
  public static Optional<String> problem(String url) {
    try {
      parse(url);
      return Optional.empty();
    } catch (RefusedUrlException e) {
      return Optional.of(e.getMessage());
    }
  }
}
