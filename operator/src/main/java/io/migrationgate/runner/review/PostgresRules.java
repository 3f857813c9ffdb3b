package io.migrationgate.runner.review;

import io.migrationgate.runner.review.ReviewContext.Flag;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.drop.Drop;

/**
 * PostgreSQL's locks and rewrites: statements that hold a lock on a table in use for as long as
 * they scan or rewrite it, and CONCURRENTLY where Flyway cannot run it. Tables the reviewed
 * scripts create themselves are left alone: nothing else can be waiting on them.
 */
final class PostgresRules {

  /**
   * Functions a column default may call without making PostgreSQL fill every existing row: the
   * stable and immutable ones a default usually calls. Any other call counts as volatile, which is
   * what PostgreSQL assumes of a function declared without a volatility.
   */
  private static final Set<String> NON_VOLATILE_FUNCTIONS = Set.of("now", "transaction_timestamp",
      "statement_timestamp", "current_date", "current_time", "current_timestamp", "localtime", "localtimestamp",
      "current_user", "session_user", "current_schema", "current_database", "lower", "upper", "coalesce", "nullif",
      "to_jsonb", "jsonb_build_object", "jsonb_build_array", "json_build_object", "array", "make_date",
      "make_interval", "interval");

  private PostgresRules() {}

  static List<Flag> check(ReadStatement statement, ReviewContext context) {
    List<Flag> flags = new ArrayList<>();
    boolean locks = false;
    if (statement.parsed() instanceof CreateIndex index && context.existing(index.getTable())) {
      locks = !statement.input().concurrently();
      if (locks) {
        flags.add(new Flag(Rule.PG_INDEX_WITHOUT_CONCURRENTLY, "CREATE INDEX on " + ReviewContext.name(index.getTable())
            + " blocks every write to it until the index is built",
            new DataQuestion.Size(DataQuestion.name(index.getTable(), context.dialect), false)));
      }
    } else if (statement.parsed() instanceof Drop drop && "INDEX".equalsIgnoreCase(drop.getType())) {
      locks = !statement.input().concurrently() && context.existingIndex(drop.getName().getFullyQualifiedName());
      if (locks) {
        flags.add(new Flag(Rule.PG_DROP_INDEX_WITHOUT_CONCURRENTLY, "DROP INDEX " + drop.getName()
            + " locks its table against reads and writes while it waits for every query on it to end",
            new DataQuestion.Size(DataQuestion.name(drop.getName(), context.dialect), true)));
      }
    } else if (statement.parsed() instanceof Alter alter && context.existing(alter.getTable())) {
      locks = true;
      alter(statement, ReviewContext.name(alter.getTable()),
          new DataQuestion.Size(DataQuestion.name(alter.getTable(), context.dialect), false), flags);
    } else if (statement.startsWith("DROP", "TABLE") || statement.startsWith("TRUNCATE")) {
      locks = DestructiveRules.names(statement, statement.startsWith("TRUNCATE") && !statement.startsWith("TRUNCATE", "TABLE")
          ? 1 : 2).stream().anyMatch(context::existingTable);
    }
    if (locks && !context.lockTimeoutSet()) {
      flags.add(new Flag(Rule.PG_MISSING_LOCK_TIMEOUT, "takes a lock with no lock_timeout set earlier in the script: "
          + "while it waits behind a long query, every query on the table queues behind it"));
    }
    return flags;
  }

  private static void alter(ReadStatement statement, String table, DataQuestion size, List<Flag> flags) {
    for (AlterAction action : AlterAction.of((Alter) statement.parsed())) {
      boolean notValid = statement.input().notValidActions().contains(action.index());
      boolean usingIndex = statement.input().usingIndexActions().contains(action.index());
      switch (action.kind()) {
        case ADD_FOREIGN_KEY, ADD_CHECK -> {
          if (!notValid) {
            flags.add(new Flag(Rule.PG_CONSTRAINT_WITHOUT_NOT_VALID, "adds a "
                + (action.kind() == AlterAction.Kind.ADD_CHECK ? "check" : "foreign key") + " to " + table
                + " and checks every existing row while holding a lock that blocks writes", size));
          }
        }
        case ADD_UNIQUE, ADD_PRIMARY_KEY -> {
          if (!usingIndex) {
            flags.add(new Flag(Rule.PG_ADD_UNIQUE_CONSTRAINT, "adds a "
                + (action.kind() == AlterAction.Kind.ADD_UNIQUE ? "unique" : "primary key") + " constraint to " + table
                + ", building its index under a lock that blocks reads and writes", size));
          }
        }
        case SET_NOT_NULL -> flags.add(new Flag(Rule.PG_SET_NOT_NULL, "SET NOT NULL on " + table + "." + action.column()
            + " scans the whole table under a lock that blocks reads and writes", size));
        case ALTER_TYPE -> flags.add(new Flag(Rule.PG_TYPE_CHANGE_REWRITE, "changes the type of " + table + "."
            + action.column() + " to " + action.type() + ": unless the change is binary-compatible (a longer varchar, "
            + "varchar to text) PostgreSQL rewrites the table and its indexes under a lock that blocks reads and writes", size));
        case ADD_COLUMN -> volatileDefault(action).ifPresent(why -> flags.add(new Flag(Rule.PG_VOLATILE_DEFAULT,
            "adds " + table + "." + action.column() + " with " + why
                + ": PostgreSQL rewrites the table to fill every row, under a lock that blocks reads and writes", size)));
        default -> { }
      }
    }
  }

  /** Why a new column's value must be computed row by row, if it must. */
  private static Optional<String> volatileDefault(AlterAction column) {
    String type = column.typeName();
    if (type.endsWith("serial")) {
      return Optional.of("type " + type + " (a sequence default)");
    }
    if (column.hasSpecs("GENERATED", "ALWAYS", "AS", "IDENTITY") || column.hasSpecs("GENERATED", "BY", "DEFAULT")) {
      return Optional.of("an identity");
    }
    if (column.hasSpecs("STORED")) {
      return Optional.of("a stored generated value");
    }
    List<String> specs = column.specs();
    for (int i = specs.indexOf("DEFAULT") + 1; i > 0 && i < specs.size(); i++) {
      String word = specs.get(i).toLowerCase(Locale.ROOT);
      if (word.equals("not") || word.equals("null") || word.equals("constraint") || word.equals("references")) {
        break;
      }
      boolean call = i + 1 < specs.size() && specs.get(i + 1).startsWith("(");
      if (call && !NON_VOLATILE_FUNCTIONS.contains(word)) {
        return Optional.of("default " + specs.get(i) + "()");
      }
    }
    return Optional.empty();
  }

  /**
   * CONCURRENTLY cannot run inside a transaction. Flyway runs a script outside one only when all
   * its statements are ones it recognises as non-transactional (CREATE/DROP INDEX CONCURRENTLY,
   * VACUUM, ...) or its {@code .conf} file says {@code executeInTransaction=false}; with such a
   * statement beside others, and mixed off (the runner's setting), it refuses the script.
   */
  static List<Flag> concurrentlyInTransaction(ReadStatement statement, ReviewContext context) {
    List<Flag> flags = new ArrayList<>();
    boolean reindex = statement.startsWith("REINDEX") && statement.code().stream().anyMatch(t -> t.isWord("CONCURRENTLY"));
    if (!statement.input().concurrently() && !reindex) {
      return flags;
    }
    String what = statement.head(reindex ? 3 : 4) + " ...";
    if (context.executeInTransaction().isPresent()) {
      if (context.executeInTransaction().get()) {
        flags.add(new Flag(Rule.PG_CONCURRENTLY_IN_TRANSACTION, what + ": the script's .conf sets "
            + "executeInTransaction=true, and PostgreSQL refuses CONCURRENTLY inside a transaction; the run fails here"));
      }
    } else if (statement.transactional()) {
      flags.add(new Flag(Rule.PG_CONCURRENTLY_IN_TRANSACTION, what + ": Flyway does not know it cannot run in a "
          + "transaction and runs the script in one, which PostgreSQL refuses; the run fails here (or set "
          + "executeInTransaction=false in the script's .conf)"));
    } else if (context.scriptHasTransactionalStatements()) {
      flags.add(new Flag(Rule.PG_CONCURRENTLY_IN_TRANSACTION, what + ": the script also holds statements that run "
          + "in a transaction, and Flyway refuses to mix the two in one script; the run fails at this script"));
    }
    return flags;
  }
}
