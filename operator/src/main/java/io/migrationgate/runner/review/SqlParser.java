package io.migrationgate.runner.review;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;

/**
 * JSqlParser, one statement at a time, each with a time limit: its grammar backtracks, and a
 * statement it struggles with must end as "not analysed", not hold the plan Job until its deadline.
 */
final class SqlParser implements AutoCloseable {

  /** What JSqlParser made of a statement: the statement, or why there is none. */
  record Result(Statement statement, String failure) {}

  // JSqlParser logs every parse at INFO through java.util.logging, whose default handler writes to
  // stderr, the plan's log. Held here because java.util.logging keeps loggers weakly.
  private static final Logger PARSER_LOG = Logger.getLogger(CCJSqlParserUtil.class.getName());

  static {
    PARSER_LOG.setLevel(Level.WARNING);
  }

  private final Duration timeLimit;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(work -> {
    Thread parser = new Thread(work, "migration-gate-sql-review");
    parser.setDaemon(true);
    return parser;
  });

  SqlParser(Duration timeLimit) {
    this.timeLimit = timeLimit;
  }

  Result parse(String sql) {
    try {
      Statement statement = CCJSqlParserUtil.parse(sql, thread, parser -> parser.withTimeOut(timeLimit.toMillis()));
      if (statement == null) {
        return new Result(null, "the statement is empty");
      }
      if (statement instanceof UnsupportedStatement) {
        return new Result(null, "JSqlParser has no grammar for this kind of statement");
      }
      return new Result(statement, null);
    } catch (JSQLParserException e) {
      return new Result(null, failure(e));
    } catch (RuntimeException | StackOverflowError e) {
      return new Result(null, "JSqlParser failed: " + e);
    }
  }

  /** From JSqlParser's first line: "Encountered unexpected token: "IF" "IF"". */
  private String failure(JSQLParserException e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    String message = String.valueOf(cause.getMessage());
    if (message.contains("Time out occurred")) {
      return "JSqlParser gave up after " + timeLimit.toSeconds() + " s";
    }
    String first = message.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse(message)
        .replaceFirst("^([\\w.$]+Exception: )+", "")
        .replaceFirst("\\.? *Was expecting.*$", "")
        // the line and column count in the statement, not the script; the finding names the script's line
        .replaceFirst(" at line \\d+, column \\d+", "");
    return "JSqlParser stopped: " + first;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
