package io.migrationgate.runner.review;

import io.migrationgate.runner.review.ReviewContext.Flag;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.table.Index;

/**
 * MySQL's and MariaDB's table copies: an ALTER TABLE the server performs by copying the table
 * blocks writes for the whole copy. The server picks the cheapest algorithm it can unless told;
 * an ALTER that names {@code ALGORITHM=INPLACE} or {@code INSTANT} is refused rather than copied,
 * so naming one is the safe form.
 */
final class MysqlRules {

  private static final Set<String> BLOCKING_LOCKS = Set.of("SHARED", "EXCLUSIVE");
  private static final Set<String> NON_COPYING_ALGORITHMS = Set.of("INPLACE", "INSTANT", "NOCOPY");

  private MysqlRules() {}

  static List<Flag> check(ReadStatement statement, ReviewContext context) {
    List<Flag> flags = new ArrayList<>();
    if (statement.parsed() instanceof Alter alter && context.existing(alter.getTable())) {
      alter(ReviewContext.name(alter.getTable()), AlterAction.of(alter),
          new DataQuestion.Size(DataQuestion.name(alter.getTable(), context.dialect), false), flags);
    } else if (statement.parsed() instanceof CreateTable create && create.getColumnDefinitions() != null
        && !isTemporary(create) && !hasPrimaryKey(create)) {
      flags.add(new Flag(Rule.MYSQL_TABLE_WITHOUT_PRIMARY_KEY,
          "creates table " + ReviewContext.name(create.getTable()) + " without a primary key"));
    }
    return flags;
  }

  private static void alter(String table, List<AlterAction> actions, DataQuestion size, List<Flag> flags) {
    String algorithm = option(actions, AlterAction.Kind.ALGORITHM);
    String lock = option(actions, AlterAction.Kind.LOCK);
    if ("COPY".equals(algorithm) || BLOCKING_LOCKS.contains(lock)) {
      flags.add(new Flag(Rule.MYSQL_COPYING_ALTER, "asks for " + ("COPY".equals(algorithm) ? "ALGORITHM=COPY" : "LOCK=" + lock)
          + ": writes to " + table + " are blocked until the ALTER ends", size));
    }
    boolean inPlaceAsked = NON_COPYING_ALGORITHMS.contains(algorithm);
    for (AlterAction action : actions) {
      if (action.kind() == AlterAction.Kind.MODIFY_COLUMN) {
        String type = action.typeName();
        if ((type.equals("enum") || type.equals("set")) && !"INSTANT".equals(algorithm)) {
          flags.add(new Flag(Rule.MYSQL_ENUM_SET_CHANGE, "redefines the " + type.toUpperCase(Locale.ROOT) + " column "
              + table + "." + action.column() + ": any change but values appended at the end copies the table, "
              + "blocking writes", size));
        } else if (!type.equals("enum") && !type.equals("set") && !inPlaceAsked && !"COPY".equals(algorithm)) {
          flags.add(new Flag(Rule.MYSQL_COPYING_ALTER, "redefines column " + table + "." + action.column() + " as "
              + action.type() + " without ALGORITHM=INPLACE or INSTANT: unless the server can change it in place, "
              + "it copies the table and blocks writes until the copy ends", size));
        }
      } else if (action.kind() == AlterAction.Kind.ADD_COLUMN && action.hasSpecs("NOT", "NULL")
          && !action.hasSpecs("DEFAULT") && !action.hasSpecs("AUTO_INCREMENT") && !action.hasSpecs("AS")) {
        flags.add(new Flag(Rule.MYSQL_NOT_NULL_WITHOUT_DEFAULT, "adds " + table + "." + action.column()
            + " NOT NULL without a DEFAULT: every existing row silently gets the type's implicit value (0, '' or a zero date)"));
      }
    }
  }

  private static String option(List<AlterAction> actions, AlterAction.Kind kind) {
    return actions.stream().filter(a -> a.kind() == kind && a.target() != null)
        .map(a -> a.target().toUpperCase(Locale.ROOT)).findFirst().orElse("");
  }

  private static boolean isTemporary(CreateTable create) {
    return create.getCreateOptionsStrings() != null
        && create.getCreateOptionsStrings().stream().anyMatch(o -> o.equalsIgnoreCase("TEMPORARY"));
  }

  private static boolean hasPrimaryKey(CreateTable create) {
    boolean inColumn = create.getColumnDefinitions().stream().anyMatch(c -> c.getColumnSpecs() != null
        && String.join(" ", c.getColumnSpecs()).toUpperCase(Locale.ROOT).contains("PRIMARY KEY"));
    List<Index> indexes = create.getIndexes() == null ? List.of() : create.getIndexes();
    return inColumn || indexes.stream().anyMatch(i -> "PRIMARY KEY".equalsIgnoreCase(i.getType()));
  }
}
