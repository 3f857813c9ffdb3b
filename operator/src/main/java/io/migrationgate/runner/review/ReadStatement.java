package io.migrationgate.runner.review;

import io.migrationgate.runner.review.SqlTokens.Kind;
import io.migrationgate.runner.review.SqlTokens.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.statement.Statement;

/**
 * One statement of a script as the rules see it: where it is (its first and last line), its
 * words, the suppression comments written on its lines or just above it, and what JSqlParser made of it ({@code parsed}, or {@code failure}
 * saying why there is nothing).
 */
record ReadStatement(String script, int line, int lastLine, boolean transactional, List<Token> code,
    List<Suppression> suppressions, ParserInput input, Statement parsed, String failure) {

  /** {@code -- migration-gate:allow <rule-id> <reason>}; {@code problem} says what is wrong with it, if anything. */
  record Suppression(int line, String ruleId, String reason, String problem) {}

  static final String SUPPRESSION_MARK = "migration-gate:allow";
  private static final Pattern SUPPRESSION =
      Pattern.compile("^(?:--|#)\\s*" + Pattern.quote(SUPPRESSION_MARK) + "(?:\\s+(\\S+))?(?:\\s+(.*))?$");

  static ReadStatement read(String script, ScriptStatements.Piece piece, Dialect dialect, SqlParser parser) {
    List<Token> tokens = SqlTokens.of(piece.text(), dialect);
    List<Token> code = SqlTokens.code(tokens);
    // Flyway's line is that of the first word; the text may start earlier, with comments.
    int lastLine = code.isEmpty() ? piece.line() : piece.line() + code.get(code.size() - 1).line() - code.get(0).line();
    ParserInput input = ParserInput.of(piece.text(), tokens);
    SqlParser.Result result = code.isEmpty() ? new SqlParser.Result(null, "no statement") : parser.parse(input.sql());
    return new ReadStatement(script, piece.line(), lastLine, piece.transactional(), code, List.of(), input,
        result.statement(), result.failure());
  }

  /**
   * Every suppression comment of a script, with its line. Read from the script's text rather than
   * from the statements, because Flyway leaves out the comments after a script's last statement.
   */
  static List<Suppression> suppressionsIn(String script, Dialect dialect) {
    List<Suppression> suppressions = new ArrayList<>();
    for (Token token : SqlTokens.of(script, dialect)) {
      if (token.kind() == Kind.COMMENT) {
        suppression(token.text().strip(), token.line() + 1).ifPresent(suppressions::add);
      }
    }
    return suppressions;
  }

  static Optional<Suppression> suppression(String comment, int line) {
    if (!comment.toLowerCase(Locale.ROOT).replaceFirst("^(--|#)\\s*", "").startsWith(SUPPRESSION_MARK)) {
      return Optional.empty();
    }
    Matcher matcher = SUPPRESSION.matcher(comment);
    String rule = matcher.matches() ? matcher.group(1) : null;
    String reason = matcher.matches() && matcher.group(2) != null ? matcher.group(2).strip() : "";
    String problem = null;
    if (rule == null) {
      problem = "names no rule";
    } else if (Rule.ofId(rule).isEmpty()) {
      problem = "names " + rule + ", which is no rule of the review";
    } else if (reason.isEmpty()) {
      problem = "gives no reason for allowing " + rule;
    }
    return Optional.of(new Suppression(line, rule, reason, problem));
  }

  /** Whether a comment on this line is this statement's: on one of its lines. */
  boolean covers(int commentLine) {
    return line <= commentLine && commentLine <= lastLine;
  }

  ReadStatement withSuppressions(List<Suppression> others) {
    return new ReadStatement(script, line, lastLine, transactional, code, List.copyOf(others), input, parsed, failure);
  }

  /** Whether the statement starts with these words, e.g. {@code startsWith("DROP", "TABLE")}. */
  boolean startsWith(String... words) {
    if (words.length > code.size()) {
      return false;
    }
    for (int i = 0; i < words.length; i++) {
      if (!code.get(i).isWord(words[i])) {
        return false;
      }
    }
    return true;
  }

  /** The statement's first words, for a message: "DROP TABLE orders". */
  String head(int words) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Math.min(words, code.size()); i++) {
      text.append(i == 0 ? "" : " ").append(code.get(i).text());
    }
    return text.toString();
  }
}
