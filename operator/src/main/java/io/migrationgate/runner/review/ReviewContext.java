package io.migrationgate.runner.review;

import io.migrationgate.runner.review.SqlTokens.Token;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CreateTable;

/**
 * What the rules know beyond one statement: the database, the tables and indexes the reviewed
 * scripts create (nothing else can be using them yet, so locking one costs nobody anything), and,
 * within a script, whether a lock timeout is set and how Flyway will run the script.
 */
final class ReviewContext {

  /** One finding's rule and what it says about this statement. */
  record Flag(Rule rule, String message) {}

  final Dialect dialect;
  private final Set<String> newTables = new HashSet<>();
  private final Set<String> newIndexes = new HashSet<>();
  private boolean lockTimeoutSet;
  private boolean scriptHasTransactionalStatements;
  private Optional<Boolean> executeInTransaction = Optional.empty();

  ReviewContext(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * A script starts: session settings are counted per script, and {@code executeInTransaction} is
   * what the script's {@code .conf} file sets, if it sets it.
   */
  void startScript(List<ReadStatement> statements, Optional<Boolean> executeInTransaction) {
    lockTimeoutSet = false;
    scriptHasTransactionalStatements = statements.stream().anyMatch(ReadStatement::transactional);
    this.executeInTransaction = executeInTransaction;
  }

  /** Records what the statement created or set, for the statements after it. */
  void after(ReadStatement statement) {
    if (statement.parsed() instanceof CreateTable create) {
      newTables.add(name(create.getTable()));
    } else if (statement.parsed() instanceof CreateIndex index && index.getIndex().getName() != null) {
      newIndexes.add(unquoted(index.getIndex().getName()));
    } else if (setsLockTimeout(statement)) {
      lockTimeoutSet = !disablesTimeout(statement.code().get(statement.code().size() - 1));
    } else if (statement.startsWith("RESET", "lock_timeout")) {
      lockTimeoutSet = false;
    }
  }

  boolean existing(Table table) {
    return !newTables.contains(name(table));
  }

  boolean existingTable(String name) {
    return !newTables.contains(unquoted(lastPart(name)));
  }

  boolean existingIndex(String name) {
    return !newIndexes.contains(unquoted(lastPart(name)));
  }

  boolean lockTimeoutSet() {
    return lockTimeoutSet;
  }

  boolean scriptHasTransactionalStatements() {
    return scriptHasTransactionalStatements;
  }

  Optional<Boolean> executeInTransaction() {
    return executeInTransaction;
  }

  /** The table's own name as the database folds it (schema left out): "orders". */
  static String name(Table table) {
    return unquoted(table.getName());
  }

  static String unquoted(String name) {
    if (name.length() > 1 && (name.startsWith("\"") && name.endsWith("\"") || name.startsWith("`") && name.endsWith("`"))) {
      return name.substring(1, name.length() - 1);
    }
    return name.toLowerCase(Locale.ROOT);
  }

  private static String lastPart(String name) {
    return name.substring(name.lastIndexOf('.') + 1);
  }

  private static boolean setsLockTimeout(ReadStatement statement) {
    return statement.startsWith("SET", "lock_timeout") || statement.startsWith("SET", "SESSION", "lock_timeout")
        || statement.startsWith("SET", "LOCAL", "lock_timeout");
  }

  /** 0 (or '0', '0s') turns the timeout off, and DEFAULT restores the server's, usually off. */
  private static boolean disablesTimeout(Token value) {
    String text = value.text().replace("'", "").strip().toLowerCase(Locale.ROOT);
    return text.equals("default") || text.matches("0+(ms|s|min)?");
  }
}
