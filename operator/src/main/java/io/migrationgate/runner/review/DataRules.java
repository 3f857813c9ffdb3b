package io.migrationgate.runner.review;

import io.migrationgate.runner.review.DataQuestion.Name;
import io.migrationgate.runner.review.ReviewContext.Flag;
import io.migrationgate.runner.review.SqlTokens.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.create.index.CreateIndex;

/**
 * Statements whose outcome depends on the rows already in an existing table: each holds only if
 * the data allows it, and fails the run (or, on MySQL, quietly changes values) when it does not.
 * The finding names the question the data must answer.
 */
final class DataRules {

  /** Types that bound their values: integers narrower than bigint, lists, and types with a length or precision. */
  private static final Set<String> BOUNDED = Set.of("smallint", "int2", "tinyint", "mediumint", "int", "int4", "integer",
      "real", "float4", "enum", "set", "year");
  private static final Set<String> BOUNDED_BY_ARGUMENTS = Set.of("varchar", "char", "character", "nvarchar", "nchar",
      "varbinary", "binary", "bit", "numeric", "decimal", "dec");

  private DataRules() {}

  static List<Flag> check(ReadStatement statement, ReviewContext context) {
    List<Flag> flags = new ArrayList<>();
    if (statement.parsed() instanceof CreateIndex index && "UNIQUE".equalsIgnoreCase(index.getIndex().getType())
        && context.existing(index.getTable())) {
      Name table = DataQuestion.name(index.getTable(), context.dialect);
      String shape = unplainIndex(statement);
      List<String> names = index.getIndex().getColumnsNames();
      DataQuestion question = shape != null || names == null || names.isEmpty()
          ? new DataQuestion.NotAsked(table, "the index is " + (shape == null ? "on no plain column" : shape))
          : new DataQuestion.Duplicates(table, DataQuestion.columns(names, context.dialect));
      flags.add(unique(ReviewContext.name(index.getTable()), columns(index), List.of(question)));
    } else if (statement.parsed() instanceof Alter alter && context.existing(alter.getTable())) {
      Name table = DataQuestion.name(alter.getTable(), context.dialect);
      for (AlterAction action : AlterAction.of(alter)) {
        alter(statement, context, table, action, flags);
      }
    }
    return flags;
  }

  private static void alter(ReadStatement statement, ReviewContext context, Name name, AlterAction action,
      List<Flag> flags) {
    String table = name.name();
    boolean fromIndex = statement.input().usingIndexActions().contains(action.index());
    switch (action.kind()) {
      case ADD_UNIQUE, ADD_PRIMARY_KEY -> {
        if (!fromIndex) {
          flags.add(unique(table, action.target(), keyQuestions(context, name, action)));
        }
      }
      case SET_NOT_NULL -> flags.add(notNull(table, action.column(), context, name));
      case ADD_FOREIGN_KEY -> {
        if (!statement.input().notValidActions().contains(action.index())) {
          flags.add(new Flag(Rule.DATA_FOREIGN_KEY, "the foreign key " + (action.target() == null ? "" : action.target() + " ")
              + "fails if a row of " + table + " points at a parent that does not exist", orphans(context, name, action)));
        }
      }
      case ADD_COLUMN -> {
        boolean filled = action.hasSpecs("DEFAULT") || action.typeName().endsWith("serial") || action.hasSpecs("GENERATED")
            || action.hasSpecs("AUTO_INCREMENT") || action.hasSpecs("AS");
        if (context.dialect.postgres() && action.hasSpecs("NOT", "NULL") && !filled) {
          flags.add(new Flag(Rule.DATA_NOT_NULL, "adding " + table + "." + action.column()
              + " NOT NULL without a DEFAULT fails if " + table + " has any row", new DataQuestion.AnyRow(name)));
        }
      }
      case ALTER_TYPE, MODIFY_COLUMN -> {
        if (action.kind() == AlterAction.Kind.MODIFY_COLUMN && action.hasSpecs("NOT", "NULL")) {
          flags.add(notNull(table, action.column(), context, name));
        }
        if (bounded(action)) {
          String column = DataQuestion.folded(action.column(), context.dialect);
          flags.add(new Flag(Rule.DATA_NARROWING_TYPE, "values of " + table + "." + action.column() + " that do not fit "
              + action.type() + " fail the change"
              + (context.dialect.postgres() ? "" : " (or are cut to fit, outside strict mode)"),
              action.hasSpecs("USING") ? new DataQuestion.NotAsked(name, "USING converts the values first")
                  : new DataQuestion.Fits(name, column, action.type())));
        }
      }
      default -> { }
    }
  }

  /** A primary key's columns must also hold no NULL. */
  private static List<DataQuestion> keyQuestions(ReviewContext context, Name table, AlterAction action) {
    if (action.target() == null) {
      return List.of(new DataQuestion.NotAsked(table, "the key names no column"));
    }
    List<String> columns = DataQuestion.columns(List.of(action.target().split(",")), context.dialect);
    List<DataQuestion> questions = new ArrayList<>();
    questions.add(new DataQuestion.Duplicates(table, columns));
    if (action.kind() == AlterAction.Kind.ADD_PRIMARY_KEY) {
      columns.forEach(column -> questions.add(new DataQuestion.Nulls(table, column)));
    }
    return questions;
  }

  private static DataQuestion orphans(ReviewContext context, Name table, AlterAction action) {
    AlterAction.Reference reference = action.reference();
    if (reference == null || reference.parent() == null || reference.columns().isEmpty()) {
      return new DataQuestion.NotAsked(table, "the parser did not give the key's columns and parent table");
    }
    return new DataQuestion.Orphans(table, DataQuestion.columns(reference.columns(), context.dialect),
        DataQuestion.name(reference.parent(), context.dialect),
        DataQuestion.columns(reference.parentColumns(), context.dialect));
  }

  /** Why a CREATE INDEX is not over a plain list of columns, or null when it is. */
  private static String unplainIndex(ReadStatement statement) {
    int depth = 0;
    boolean afterOn = false;
    boolean listRead = false;
    for (Token token : statement.code()) {
      if (!afterOn) {
        afterOn = token.isWord("ON");
      } else if (token.isSymbol('(')) {
        depth++;
        if (depth > 1 && !listRead) {
          return "on an expression or a column prefix";
        }
      } else if (token.isSymbol(')')) {
        depth--;
        listRead = listRead || depth == 0;
      } else if (listRead && depth == 0 && token.isWord("WHERE")) {
        return "partial (WHERE ...): only some rows must be unique";
      }
    }
    return null;
  }

  private static boolean bounded(AlterAction action) {
    String name = action.typeName();
    return BOUNDED.contains(name) || BOUNDED_BY_ARGUMENTS.contains(name) && action.type().contains("(");
  }

  private static Flag unique(String table, String columns, List<DataQuestion> questions) {
    return new Flag(Rule.DATA_UNIQUE, "fails if " + table + " already holds duplicate "
        + (columns == null ? "keys" : "(" + columns + ")") + " values", questions);
  }

  private static Flag notNull(String table, String column, ReviewContext context, Name name) {
    return new Flag(Rule.DATA_NOT_NULL, "fails if a row of " + table + " has " + column + " NULL",
        new DataQuestion.Nulls(name, DataQuestion.folded(column, context.dialect)));
  }

  private static String columns(CreateIndex index) {
    List<String> names = index.getIndex().getColumnsNames();
    return names == null || names.isEmpty() ? null : String.join(", ", names);
  }
}
