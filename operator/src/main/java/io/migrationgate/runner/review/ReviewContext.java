package io.migrationgate.runner.review;

import io.migrationgate.runner.review.SqlTokens.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.execute.Execute;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CreateTable;

/**
 * What the rules know beyond one statement: the database, the tables and indexes the reviewed
 * scripts create (nothing else can be using them yet, so locking one costs nobody anything), and,
 * within a script, whether a lock timeout is set and how Flyway will run the script.
 */
final class ReviewContext {

  /** One finding's rule, what it says about this statement, and what the live data must answer to decide it. */
  record Flag(Rule rule, String message, List<DataQuestion> questions) {

    Flag(Rule rule, String message) {
      this(rule, message, List.of());
    }

    Flag(Rule rule, String message, DataQuestion question) {
      this(rule, message, List.of(question));
    }
  }

  private static final Set<String> NO_ROW_CHANGES = Set.of("CREATE", "SET", "RESET", "COMMENT", "GRANT", "REVOKE",
      "ANALYZE", "VACUUM", "REINDEX", "LOCK");

  final Dialect dialect;
  private final Set<String> newTables = new HashSet<>();
  private final Set<String> newIndexes = new HashSet<>();
  // table -> the first reviewed statement that writes its rows ("V3__dedupe.sql:2"); a statement
  // the review cannot read may write any table.
  private final Map<String, String> changedBy = new HashMap<>();
  private String mayChangeAny;
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

  /** Records what the statement created, wrote or set, for the statements after it. */
  void after(ReadStatement statement) {
    recordWrites(statement);
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

  /**
   * Where an earlier reviewed statement changes the rows of one of {@code tables}: the live data
   * then says how things stand now, not what the statement will meet.
   */
  Optional<String> changedBefore(List<DataQuestion.Name> tables) {
    for (DataQuestion.Name table : tables) {
      String where = changedBy.get(table.name().toLowerCase(Locale.ROOT));
      if (where != null) {
        return Optional.of(where);
      }
    }
    return Optional.ofNullable(mayChangeAny);
  }

  private void recordWrites(ReadStatement statement) {
    String where = statement.script() + ":" + statement.line();
    List<Table> written = new ArrayList<>();
    Statement parsed = statement.parsed();
    if (parsed instanceof Insert insert) {
      written.add(insert.getTable());
    } else if (parsed instanceof Update update) {
      written.add(update.getTable());
    } else if (parsed instanceof Delete delete) {
      written.add(delete.getTable());
      if (delete.getTables() != null) {
        written.addAll(delete.getTables());
      }
    } else if (parsed instanceof Merge merge) {
      written.add(merge.getTable());
    } else if (parsed instanceof Alter alter && AlterAction.of(alter).stream()
        .anyMatch(a -> a.kind() == AlterAction.Kind.ALTER_TYPE || a.kind() == AlterAction.Kind.MODIFY_COLUMN)) {
      written.add(alter.getTable());
    } else if (statement.startsWith("TRUNCATE")) {
      DestructiveRules.names(statement, statement.startsWith("TRUNCATE", "TABLE") ? 2 : 1)
          .forEach(name -> changedBy.putIfAbsent(unquoted(lastPart(name)).toLowerCase(Locale.ROOT), where));
    } else if (parsed == null && !writesNoRows(statement) || parsed instanceof Execute) {
      mayChangeAny = mayChangeAny == null ? where : mayChangeAny;
    }
    written.stream().filter(table -> table != null)
        .forEach(table -> changedBy.putIfAbsent(name(table).toLowerCase(Locale.ROOT), where));
  }

  /** Statements the parser may not read that never change a row (a DO block or CALL may change any). */
  private static boolean writesNoRows(ReadStatement statement) {
    return !statement.code().isEmpty() && NO_ROW_CHANGES.contains(statement.code().get(0).text().toUpperCase(Locale.ROOT));
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
