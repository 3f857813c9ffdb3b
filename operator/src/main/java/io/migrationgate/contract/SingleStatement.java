package io.migrationgate.contract;

import java.util.Optional;

/**
 * Decides whether a verify query is exactly one SQL statement, shared by the operator's spec check
 * and the runner.
 *
 * <p>A verify query runs inside a read-only transaction, but a second statement can end that
 * transaction first: pgJDBC splits {@code commit; delete from t; select 1} at the semicolons and
 * runs all three, and the delete is committed. So a verify query may hold one statement and at
 * most trailing semicolons.
 *
 * <p>The scan follows pgJDBC's splitter, the one that decides what PostgreSQL receives: single and
 * double quotes with doubled-quote escapes, {@code --} and nested block comments, and dollar quotes
 * that start where no identifier character precedes them. MariaDB and MySQL cannot run a second
 * statement at all unless the URL asks for {@code allowMultiQueries}, which {@link JdbcUrl}
 * refuses. Where the two dialects read text differently the scan takes the reading that exposes
 * more semicolons, and a backslash inside quotes is refused outright: whether it escapes the quote
 * depends on the dialect and on {@code standard_conforming_strings}.
 */
public final class SingleStatement {

  /**
   * What the CRD can refuse without a parser: no quote, dollar or comment character before a
   * semicolon that follows a statement and is followed by more than whitespace. Every text it
   * matches also fails {@link #problem}; the rest is left to the operator and the runner.
   */
  public static final String OBVIOUSLY_SEVERAL = "^[^'\"$/-]*[^'\"$/;\\s-][^'\"$/-]*;\\s*[^\\s;/-]";

  private static final String WHITESPACE = " \t\n\f\r";

  private SingleStatement() {}

  private static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** Why the text is not exactly one statement, if it is not. */
  public static Optional<String> problem(String sql) {
    try {
      int statements = count(sql);
      return statements == 1 ? Optional.empty() : Optional.of("holds " + statements
          + " statements; a verify query must be exactly one statement (a trailing ';' is allowed)");
    } catch (Refused e) {
      return Optional.of(e.getMessage());
    }
  }

  private static int count(String sql) {
    int statements = 0;
    boolean inStatement = false;
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == ';') {
        statements += inStatement ? 1 : 0;
        inStatement = false;
        i++;
      } else if (WHITESPACE.indexOf(c) >= 0) {
        i++;
      } else if (sql.startsWith("--", i)) {
        int newline = indexOfAny(sql, "\r\n", i);
        i = newline < 0 ? sql.length() : newline;
      } else if (sql.startsWith("/*", i)) {
        i = afterBlockComment(sql, i);
      } else {
        inStatement = true;
        i = afterToken(sql, i);
      }
    }
    return statements + (inStatement ? 1 : 0);
  }

  private static int afterToken(String sql, int start) {
    char c = sql.charAt(start);
    if (c == '\'' || c == '"') {
      return afterQuoted(sql, start, c);
    }
    if (c == '$' && (start == 0 || !identifierCharacter(sql.charAt(start - 1)))) {
      int tagEnd = dollarTagEnd(sql, start);
      if (tagEnd > 0) {
        String tag = sql.substring(start, tagEnd);
        int close = sql.indexOf(tag, tagEnd);
        if (close < 0) {
          throw new Refused("has an unterminated dollar-quoted string " + tag);
        }
        return close + tag.length();
      }
    }
    return start + 1;
  }

  private static int afterQuoted(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\\') {
        throw new Refused("has a backslash inside quotes, which databases read differently;"
            + " write the query without one");
      }
      if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    throw new Refused("has an unterminated " + (quote == '\'' ? "string" : "quoted identifier"));
  }

  /** PostgreSQL block comments nest. */
  private static int afterBlockComment(String sql, int start) {
    int depth = 0;
    int i = start;
    while (i < sql.length()) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    throw new Refused("has an unterminated /* comment");
  }

  /** The end of a {@code $tag$} opening at start, or -1 when the dollar sign opens none. */
  private static int dollarTagEnd(String sql, int start) {
    int i = start + 1;
    if (i < sql.length() && Character.isDigit(sql.charAt(i))) {
      return -1;
    }
    while (i < sql.length() && sql.charAt(i) != '$') {
      if (!identifierCharacter(sql.charAt(i))) {
        return -1;
      }
      i++;
    }
    return i < sql.length() ? i + 1 : -1;
  }

  private static boolean identifierCharacter(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127;
  }

  private static int indexOfAny(String text, String characters, int from) {
    for (int i = from; i < text.length(); i++) {
      if (characters.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
