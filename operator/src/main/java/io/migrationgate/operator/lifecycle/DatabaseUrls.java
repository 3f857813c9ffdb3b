package io.migrationgate.operator.lifecycle;

import io.migrationgate.contract.JdbcUrl;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mariadb.jdbc.Configuration;
import org.mariadb.jdbc.HostAddress;

/**
 * One name per database, whatever way a request spells its URL, so that two requests for the same
 * database queue behind each other: case of scheme and host, default ports, the order of several
 * hosts, parameters and the mysql/mariadb driver choice do not make a database different.
 *
 * <p>The URL is read by the driver that will connect with it (pgJDBC's {@code Driver.parseURL},
 * Connector/J's {@code Configuration.parse}), not by a pattern of ours, so whatever the driver
 * understands (IPv6 literals, several hosts, Connector/J's {@code address=(host=...)} form,
 * percent-encoding, a {@code PGHOST} parameter) names the hosts the driver would really reach. A
 * URL neither driver reads is its own name; the spec check refuses it before it can launch.
 */
public final class DatabaseUrls {

  private static final Pattern SCHEME = Pattern.compile("^jdbc:(" + JdbcUrl.SCHEMES + "):", Pattern.CASE_INSENSITIVE);
  private static final Pattern TRAILING_SLASHES = Pattern.compile("/+(?=[?]|$)");

  private DatabaseUrls() {}

  public static String normalize(String jdbcUrl) {
    String url = jdbcUrl.trim();
    Matcher scheme = SCHEME.matcher(url);
    if (!scheme.find()) {
      return url;
    }
    String driver = scheme.group(1).toLowerCase(Locale.ROOT);
    // "orders/" is the database "orders" to a person; pgJDBC refuses the slash outright.
    String rest = TRAILING_SLASHES.matcher(url.substring(scheme.end())).replaceFirst("");
    Optional<String> key = driver.equals(JdbcUrl.POSTGRESQL)
        ? postgresql("jdbc:postgresql:" + rest)
        : mariadb("jdbc:mariadb:" + rest);
    return key.orElse(url);
  }

  private static Optional<String> postgresql(String url) {
    Properties parsed = org.postgresql.Driver.parseURL(url, null);
    if (parsed == null) {
      return Optional.empty();
    }
    String[] names = parsed.getProperty("PGHOST", "").split(",");
    String[] ports = parsed.getProperty("PGPORT", "").split(",");
    if (names.length != ports.length) {
      return Optional.empty();
    }
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      hosts.add(host(names[i]) + ":" + ports[i]);
    }
    return Optional.of(key(JdbcUrl.POSTGRESQL, hosts, parsed.getProperty("PGDBNAME")));
  }

  /** Connector/J reads jdbc:mysql: URLs as well (the runner adds permitMysqlScheme). */
  private static Optional<String> mariadb(String url) {
    Configuration parsed;
    try {
      parsed = Configuration.parse(url);
    } catch (SQLException | RuntimeException e) {
      return Optional.empty();
    }
    if (parsed == null || parsed.addresses().isEmpty()) {
      return Optional.empty();
    }
    List<String> hosts = new ArrayList<>();
    for (HostAddress address : parsed.addresses()) {
      if (address.host == null) {
        return Optional.empty();
      }
      hosts.add(host(address.host) + ":" + address.port);
    }
    return Optional.of(key(JdbcUrl.MYSQL, hosts, parsed.database()));
  }

  private static String key(String family, List<String> hosts, String database) {
    return family + "://" + String.join(",", new TreeSet<>(hosts))
        + (database == null || database.isEmpty() ? "" : "/" + database);
  }

  /** Lower case; an IPv6 literal in one spelling, in brackets ({@code [::1]} is {@code [0:0:...:1]}). */
  private static String host(String name) {
    String host = name.toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (!host.contains(":")) {
      return host;
    }
    try {
      // In brackets the JDK parses the literal and never asks DNS, even when it is no address.
      return "[" + InetAddress.getByName("[" + host + "]").getHostAddress() + "]";
    } catch (UnknownHostException e) {
      return "[" + host + "]";
    }
  }
}
