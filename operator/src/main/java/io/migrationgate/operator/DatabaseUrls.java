package io.migrationgate.operator;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One name per database, whatever way a request spells its URL, so that two requests for the same
 * database queue behind each other: case of scheme and host, default ports, parameters and the
 * mysql/mariadb driver choice do not make a database different.
 */
public final class DatabaseUrls {

  private static final Pattern URL =
      Pattern.compile("^jdbc:(postgresql|mysql|mariadb)://([^/?;]*)(/[^?;]*)?.*$", Pattern.CASE_INSENSITIVE);

  private DatabaseUrls() {}

  public static String normalize(String jdbcUrl) {
    Matcher m = URL.matcher(jdbcUrl.trim());
    if (!m.matches()) {
      return jdbcUrl.trim();
    }
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    String family = scheme.equals("postgresql") ? "postgresql" : "mysql";
    int defaultPort = family.equals("postgresql") ? 5432 : 3306;
    StringBuilder hosts = new StringBuilder();
    for (String host : m.group(2).toLowerCase(Locale.ROOT).split(",")) {
      if (hosts.length() > 0) hosts.append(',');
      hosts.append(host.isEmpty() ? "localhost" : host);
      if (!host.contains(":") || host.endsWith("]")) hosts.append(':').append(defaultPort);
    }
    String database = m.group(3) == null ? "" : m.group(3).replaceAll("/+$", "");
    return family + "://" + hosts + database;
  }
}
