package io.migrationgate.runner.review;

import io.migrationgate.runner.review.ReviewContext.Flag;
import io.migrationgate.runner.review.SqlTokens.Kind;
import io.migrationgate.runner.review.SqlTokens.Token;
import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.RenameTableStatement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.update.Update;

/**
 * Statements that lose data or break code running against the schema now, on both databases.
 * DROP and TRUNCATE are read from the statement's first words, so they are flagged even when the
 * parser cannot read the rest (PostgreSQL's {@code DROP TYPE}, say, or an unusual option list).
 */
final class DestructiveRules {

  private DestructiveRules() {}

  static List<Flag> check(ReadStatement statement, ReviewContext context) {
    List<Flag> flags = new ArrayList<>();
    if (statement.startsWith("DROP", "SCHEMA") || statement.startsWith("DROP", "DATABASE")) {
      names(statement, 2).forEach(name -> flags.add(new Flag(Rule.DROP_SCHEMA,
          "drops " + statement.code().get(1).text().toLowerCase() + " " + name + " and everything in it")));
    } else if (statement.startsWith("DROP", "TABLE")) {
      names(statement, 2).stream().filter(context::existingTable)
          .forEach(name -> flags.add(new Flag(Rule.DROP_TABLE, "drops table " + name + " and every row in it",
              size(name, context))));
    } else if (statement.startsWith("TRUNCATE")) {
      names(statement, statement.startsWith("TRUNCATE", "TABLE") ? 2 : 1).stream().filter(context::existingTable)
          .forEach(name -> flags.add(new Flag(Rule.TRUNCATE, "deletes every row of " + name, size(name, context))));
    } else if (statement.parsed() instanceof Delete delete) {
      boolean narrowed = delete.getWhere() != null || delete.getJoins() != null && !delete.getJoins().isEmpty()
          || delete.getUsingList() != null && !delete.getUsingList().isEmpty();
      if (!narrowed && delete.getTable() != null && context.existing(delete.getTable())) {
        flags.add(new Flag(Rule.DELETE_WITHOUT_WHERE, "deletes every row of " + ReviewContext.name(delete.getTable()),
            new DataQuestion.Size(DataQuestion.name(delete.getTable(), context.dialect), false)));
      }
    } else if (statement.parsed() instanceof Update update) {
      if (update.getWhere() == null && update.getTable() != null && context.existing(update.getTable())) {
        flags.add(new Flag(Rule.UPDATE_WITHOUT_WHERE, "updates every row of " + ReviewContext.name(update.getTable()),
            new DataQuestion.Size(DataQuestion.name(update.getTable(), context.dialect), false)));
      }
    } else if (statement.parsed() instanceof RenameTableStatement rename) {
      rename.getTableNames().forEach(pair -> {
        if (context.existing(pair.getKey())) {
          flags.add(new Flag(Rule.RENAME_TABLE, "renames table " + ReviewContext.name(pair.getKey()) + " to "
              + ReviewContext.name(pair.getValue()) + ": code that uses the old name fails"));
        }
      });
    } else if (statement.parsed() instanceof Alter alter && context.existing(alter.getTable())) {
      alter(ReviewContext.name(alter.getTable()), AlterAction.of(alter), flags);
    }
    return flags;
  }

  private static void alter(String table, List<AlterAction> actions, List<Flag> flags) {
    for (AlterAction action : actions) {
      switch (action.kind()) {
        case DROP_COLUMN -> flags.add(new Flag(Rule.DROP_COLUMN,
            "drops column " + table + "." + action.column() + " and its data"));
        case DROP_CONSTRAINT -> flags.add(new Flag(Rule.DROP_CONSTRAINT,
            "drops constraint " + action.target() + " of " + table + ": the data it guarded is no longer checked"));
        case RENAME_COLUMN -> flags.add(new Flag(Rule.RENAME_COLUMN, "renames column " + table + "." + action.column()
            + " to " + action.target() + ": code that uses the old name fails"));
        case RENAME_TABLE -> flags.add(new Flag(Rule.RENAME_TABLE, "renames table " + table + " to " + action.target()
            + ": code that uses the old name fails"));
        default -> { }
      }
    }
  }

  private static DataQuestion size(String name, ReviewContext context) {
    return new DataQuestion.Size(DataQuestion.name(name, context.dialect), false);
  }

  /**
   * The names a DROP or TRUNCATE names, from word {@code from} on: IF EXISTS, ONLY and
   * CONCURRENTLY skipped, up to the first comma or option (CASCADE, RESTRICT, ...).
   */
  static List<String> names(ReadStatement statement, int from) {
    List<Token> code = statement.code();
    int at = from;
    while (at < code.size() && (code.get(at).isWord("IF") || code.get(at).isWord("EXISTS") || code.get(at).isWord("ONLY")
        || code.get(at).isWord("CONCURRENTLY"))) {
      at++;
    }
    List<String> names = new ArrayList<>();
    StringBuilder name = new StringBuilder();
    for (; at < code.size(); at++) {
      Token token = code.get(at);
      if (token.kind() == Kind.WORD || token.kind() == Kind.QUOTED_NAME || token.isSymbol('.')) {
        if (name.length() > 0 && !token.isSymbol('.') && !name.toString().endsWith(".")) {
          break; // CASCADE, RESTRICT, RESTART IDENTITY, ...
        }
        name.append(token.text());
      } else if (token.isSymbol(',')) {
        names.add(name.toString());
        name.setLength(0);
      } else {
        break;
      }
    }
    if (name.length() > 0) {
      names.add(name.toString());
    }
    return names;
  }
}
