package io.migrationgate.runner.review;

import java.util.ArrayList;
import java.util.List;

/**
 * The tokens of one statement as Flyway split it: words, quoted names, string literals, numbers,
 * single-character symbols and comments, each with its place in the text and its line. Flyway has
 * already found where the statement ends, so this only needs to tell code from comments and
 * literals; the review reads suppression comments and the few keywords the SQL parser does not
 * model from it.
 */
final class SqlTokens {

  enum Kind { WORD, QUOTED_NAME, STRING, NUMBER, SYMBOL, COMMENT }

  /** {@code line} counts from 0 at the statement text's first line. */
  record Token(Kind kind, String text, int start, int end, int line) {

    boolean isWord(String word) {
      return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    boolean isSymbol(char symbol) {
      return kind == Kind.SYMBOL && text.charAt(0) == symbol;
    }
  }

  private final String text;
  private final boolean mysql;
  private final List<Token> all = new ArrayList<>();
  private int position;
  private int line;

  private SqlTokens(String text, boolean mysql) {
    this.text = text;
    this.mysql = mysql;
  }

  /** Every token, comments included, in order. */
  static List<Token> of(String text, Dialect dialect) {
    SqlTokens tokens = new SqlTokens(text, dialect != Dialect.POSTGRESQL);
    tokens.read();
    return tokens.all;
  }

  static List<Token> code(List<Token> tokens) {
    return tokens.stream().filter(t -> t.kind() != Kind.COMMENT).toList();
  }

  private void read() {
    while (position < text.length()) {
      char c = text.charAt(position);
      int start = position;
      int startLine = line;
      Kind kind;
      if (c == '\n') {
        line++;
        position++;
        continue;
      } else if (Character.isWhitespace(c)) {
        position++;
        continue;
      } else if (c == '-' && next(1) == '-' || mysql && c == '#') {
        skipUntil('\n');
        kind = Kind.COMMENT;
      } else if (c == '/' && next(1) == '*') {
        blockComment();
        kind = Kind.COMMENT;
      } else if (c == '\'') {
        quoted('\'', mysql || escapedString(start));
        kind = Kind.STRING;
      } else if (c == '"' || mysql && c == '`') {
        quoted(c, false);
        kind = Kind.QUOTED_NAME;
      } else if (c == '$' && !mysql && dollarQuote()) {
        kind = Kind.STRING;
      } else if (Character.isLetter(c) || c == '_') {
        while (position < text.length() && isWordPart(text.charAt(position))) {
          position++;
        }
        kind = Kind.WORD;
      } else if (Character.isDigit(c)) {
        while (position < text.length() && (Character.isLetterOrDigit(text.charAt(position)) || text.charAt(position) == '.')) {
          position++;
        }
        kind = Kind.NUMBER;
      } else {
        position++;
        kind = Kind.SYMBOL;
      }
      all.add(new Token(kind, text.substring(start, position), start, position, startLine));
    }
  }

  private static boolean isWordPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  private char next(int ahead) {
    return position + ahead < text.length() ? text.charAt(position + ahead) : '\0';
  }

  /** PostgreSQL's E'...' strings take backslash escapes; its plain strings do not. */
  private boolean escapedString(int quote) {
    return !all.isEmpty() && all.get(all.size() - 1).end() == quote && all.get(all.size() - 1).isWord("E");
  }

  private void skipUntil(char end) {
    while (position < text.length() && text.charAt(position) != end) {
      position++;
    }
  }

  /** PostgreSQL nests block comments; MySQL does not, and an unnested one ends the same way. */
  private void blockComment() {
    int depth = 0;
    while (position < text.length()) {
      if (text.startsWith("/*", position)) {
        depth++;
        position += 2;
      } else if (text.startsWith("*/", position)) {
        depth--;
        position += 2;
        if (depth == 0 || mysql) {
          return;
        }
      } else {
        countLine(text.charAt(position++));
      }
    }
  }

  /** A quote doubled inside the literal stands for itself. */
  private void quoted(char quote, boolean backslashEscapes) {
    position++;
    while (position < text.length()) {
      char c = text.charAt(position++);
      countLine(c);
      if (backslashEscapes && c == '\\' && position < text.length()) {
        countLine(text.charAt(position++));
      } else if (c == quote) {
        if (position < text.length() && text.charAt(position) == quote) {
          position++;
        } else {
          return;
        }
      }
    }
  }

  /** $$...$$ or $tag$...$tag$; false (and nothing read) when the $ starts no dollar quote. */
  private boolean dollarQuote() {
    int tagEnd = position + 1;
    while (tagEnd < text.length() && isWordPart(text.charAt(tagEnd)) && text.charAt(tagEnd) != '$') {
      tagEnd++;
    }
    if (tagEnd >= text.length() || text.charAt(tagEnd) != '$'
        || tagEnd > position + 1 && Character.isDigit(text.charAt(position + 1))) {
      return false;
    }
    String tag = text.substring(position, tagEnd + 1);
    int close = text.indexOf(tag, tagEnd + 1);
    int end = close < 0 ? text.length() : close + tag.length();
    while (position < end) {
      countLine(text.charAt(position++));
    }
    return true;
  }

  private void countLine(char c) {
    if (c == '\n') {
      line++;
    }
  }
}
