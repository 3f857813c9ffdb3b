package io.migrationgate.runner.review;

import io.migrationgate.runner.review.ReviewContext.Flag;
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
      flags.add(unique(ReviewContext.name(index.getTable()), columns(index)));
    } else if (statement.parsed() instanceof Alter alter && context.existing(alter.getTable())) {
      String table = ReviewContext.name(alter.getTable());
      for (AlterAction action : AlterAction.of(alter)) {
        alter(statement, context, table, action, flags);
      }
    }
    return flags;
  }

  private static void alter(ReadStatement statement, ReviewContext context, String table, AlterAction action,
      List<Flag> flags) {
    boolean fromIndex = statement.input().usingIndexActions().contains(action.index());
    switch (action.kind()) {
      case ADD_UNIQUE, ADD_PRIMARY_KEY -> {
        if (!fromIndex) {
          flags.add(unique(table, action.target()));
        }
      }
      case SET_NOT_NULL -> flags.add(notNull(table, action.column()));
      case ADD_FOREIGN_KEY -> {
        if (!statement.input().notValidActions().contains(action.index())) {
          flags.add(new Flag(Rule.DATA_FOREIGN_KEY, "the foreign key " + (action.target() == null ? "" : action.target() + " ")
              + "fails if a row of " + table + " points at a parent that does not exist"));
        }
      }
      case ADD_COLUMN -> {
        boolean filled = action.hasSpecs("DEFAULT") || action.typeName().endsWith("serial") || action.hasSpecs("GENERATED")
            || action.hasSpecs("AUTO_INCREMENT") || action.hasSpecs("AS");
        if (context.dialect.postgres() && action.hasSpecs("NOT", "NULL") && !filled) {
          flags.add(new Flag(Rule.DATA_NOT_NULL, "adding " + table + "." + action.column()
              + " NOT NULL without a DEFAULT fails if " + table + " has any row"));
        }
      }
      case ALTER_TYPE, MODIFY_COLUMN -> {
        if (action.kind() == AlterAction.Kind.MODIFY_COLUMN && action.hasSpecs("NOT", "NULL")) {
          flags.add(notNull(table, action.column()));
        }
        if (bounded(action)) {
          flags.add(new Flag(Rule.DATA_NARROWING_TYPE, "values of " + table + "." + action.column() + " that do not fit "
              + action.type() + " fail the change"
              + (context.dialect.postgres() ? "" : " (or are cut to fit, outside strict mode)")));
        }
      }
      default -> { }
    }
  }

  private static boolean bounded(AlterAction action) {
    String name = action.typeName();
    return BOUNDED.contains(name) || BOUNDED_BY_ARGUMENTS.contains(name) && action.type().contains("(");
  }

  private static Flag unique(String table, String columns) {
    return new Flag(Rule.DATA_UNIQUE, "fails if " + table + " already holds duplicate "
        + (columns == null ? "keys" : "(" + columns + ")") + " values");
  }

  private static Flag notNull(String table, String column) {
    return new Flag(Rule.DATA_NOT_NULL, "fails if a row of " + table + " has " + column + " NULL");
  }

  private static String columns(CreateIndex index) {
    List<String> names = index.getIndex().getColumnsNames();
    return names == null || names.isEmpty() ? null : String.join(", ", names);
  }
}
