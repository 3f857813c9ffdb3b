package io.migrationgate.runner.review;

import io.migrationgate.runner.ScriptText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.sqlscript.SqlStatement;
import org.flywaydb.core.internal.sqlscript.SqlStatementIterator;

/**
 * A script split into statements by Flyway's own parser, with the placeholders the run will use
 * already replaced: the statements, lines and transaction verdicts a run acts on.
 */
final class ScriptStatements {

  /**
   * One statement: {@code line} is the line of its first word in the script (comments before it
   * are part of {@code text}); {@code transactional} is false for one Flyway runs outside a
   * transaction (CREATE INDEX CONCURRENTLY, VACUUM, ...).
   */
  record Piece(int line, String text, boolean transactional) {}

  /** The statements Flyway read, and why it stopped early, when it did. */
  record Split(List<Piece> pieces, Optional<Unreadable> unreadable) {}

  /** Where Flyway could not read on (an unterminated quote, a placeholder without a value). */
  record Unreadable(int line, String reason) {}

  private static final Pattern FLYWAY_LINE = Pattern.compile("at line (\\d+)");
  // Flyway's message goes on with a link to its help pages; the reason is what follows it.
  private static final Pattern FLYWAY_REASON = Pattern.compile("for more information\\. (.+)$");

  private ScriptStatements() {}

  static Split of(Dialect dialect, Configuration configuration, String name, String text) {
    List<Piece> pieces = new ArrayList<>();
    try (SqlStatementIterator statements = dialect.flywayParser(configuration).parse(new ScriptText(name, name, text))) {
      while (statements.hasNext()) {
        SqlStatement statement = statements.next();
        pieces.add(new Piece(statement.getLineNumber(), statement.getSql(), statement.canExecuteInTransaction()));
      }
    } catch (FlywayException e) {
      int lastLine = pieces.isEmpty() ? 1 : pieces.get(pieces.size() - 1).line();
      return new Split(pieces, Optional.of(new Unreadable(line(e.getMessage()).orElse(lastLine), reason(e.getMessage()))));
    }
    return new Split(pieces, Optional.empty());
  }

  private static Optional<Integer> line(String message) {
    Matcher matcher = FLYWAY_LINE.matcher(message == null ? "" : message);
    return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
  }

  private static String reason(String message) {
    String text = message == null ? "Flyway could not read the script" : message.strip();
    Matcher matcher = FLYWAY_REASON.matcher(text);
    return matcher.find() ? matcher.group(1).strip() : text;
  }
}
