package io.migrationgate.contract;

import java.util.regex.Pattern;

/**
 * A schema or history-table name: a plain, unquoted identifier. Flyway puts these names into SQL
 * it writes itself, so anything that needs quoting is refused before it gets there, by the CRD
 * (table), the operator (schemas and table) and the runner (both).
 */
public final class SqlIdentifier {

  public static final String PATTERN = "^[A-Za-z_][A-Za-z0-9_$]*$";
  public static final String HINT = "a plain identifier such as public or app_data";

  private static final Pattern IDENTIFIER = Pattern.compile(PATTERN);

  private SqlIdentifier() {}

  public static boolean isIdentifier(String name) {
    return name != null && IDENTIFIER.matcher(name).matches();
  }
}
