package io.migrationgate.contract;

import java.util.regex.Pattern;

/**
 * A schema or history-table name: a plain, unquoted identifier. Flyway puts these names into SQL
 * it writes itself, so anything that needs quoting is refused before it gets there, by the CRD
 * (table), the operator (schemas and table) and the runner (both). The plan's data checks put
 * names read from the catalog into SQL of their own, always quoted ({@link #quoted}).
 */
public final class SqlIdentifier {

  public static final String PATTERN = "^[A-Za-z_][A-Za-z0-9_$]*$";
  public static final String HINT = "a plain identifier such as public or app_data";

  private static final Pattern IDENTIFIER = Pattern.compile(PATTERN);

  private SqlIdentifier() {}

  public static boolean isIdentifier(String name) {
    return name != null && IDENTIFIER.matcher(name).matches();
  }

  /**
   * {@code name} as one quoted identifier, whatever it holds: in double quotes for PostgreSQL, in
   * backticks for MySQL and MariaDB, the quote character doubled inside. A NUL, which no database
   * allows in a name and some drivers cut at, is refused.
   */
  public static String quoted(String name, boolean postgres) {
    if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("not a name that can be quoted: " + (name == null ? "null" : "'" + name.replace("\0", "\\0") + "'"));
    }
    String quote = postgres ? "\"" : "`";
    return quote + name.replace(quote, quote + quote) + quote;
  }
}
