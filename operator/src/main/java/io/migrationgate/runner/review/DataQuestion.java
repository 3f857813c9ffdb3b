package io.migrationgate.runner.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.schema.Table;

/**
 * What the live data must answer to decide a finding: the plan asks it of the database (read-only,
 * with a statement timeout) and writes the answer into the finding. Names are as the database
 * folds them: PostgreSQL's unquoted names in lower case, MySQL's and MariaDB's as written (their
 * catalogs compare table names without case).
 */
public sealed interface DataQuestion {

  /** A table or index name; {@code schema} is null when the script leaves it to the search path. */
  record Name(String schema, String name) {

    @Override
    public String toString() {
      return schema == null ? name : schema + "." + name;
    }
  }

  /** How many distinct values of {@code columns} occur more than once (NULLs are never duplicates). */
  record Duplicates(Name table, List<String> columns) implements DataQuestion {}

  /** How many rows hold NULL in {@code column}. */
  record Nulls(Name table, String column) implements DataQuestion {}

  /** Whether the table holds any row. */
  record AnyRow(Name table) implements DataQuestion {}

  /** How many rows of {@code table} point at no row of {@code parent}; empty parent columns mean its primary key. */
  record Orphans(Name table, List<String> columns, Name parent, List<String> parentColumns) implements DataQuestion {}

  /** How many values of {@code column} do not fit {@code type}, as the script writes it ("varchar(20)"). */
  record Fits(Name table, String column, String type) implements DataQuestion {}

  /** The table's row estimate and bytes, from the catalog; {@code ofIndex}: {@code table} names an index, and its table is meant. */
  record Size(Name table, boolean ofIndex) implements DataQuestion {}

  /** A question the plan cannot put to the data, and why: the finding says it was not checked. */
  record NotAsked(Name table, String why) implements DataQuestion {}

  /** The table the question is about (for {@link Size#ofIndex}, the index). */
  Name table();

  /** The tables whose rows decide the answer. */
  default List<Name> tables() {
    return this instanceof Orphans orphans ? List.of(orphans.table(), orphans.parent()) : List.of(table());
  }

  static Name name(Table table, Dialect dialect) {
    return new Name(table.getSchemaName() == null ? null : folded(table.getSchemaName(), dialect),
        folded(table.getName(), dialect));
  }

  /** "app.orders", "\"Orders\"" or "`orders`", as a DROP or TRUNCATE names it. */
  static Name name(String dotted, Dialect dialect) {
    int dot = dotted.lastIndexOf('.');
    return dot < 0 ? new Name(null, folded(dotted, dialect))
        : new Name(folded(dotted.substring(0, dot), dialect), folded(dotted.substring(dot + 1), dialect));
  }

  static List<String> columns(List<String> names, Dialect dialect) {
    List<String> columns = new ArrayList<>();
    names.forEach(name -> columns.add(folded(name.strip(), dialect)));
    return columns;
  }

  /** A quoted name loses its quotes (a doubled one inside stands for one); an unquoted one is folded as the database folds it. */
  static String folded(String name, Dialect dialect) {
    for (String quote : new String[] {"\"", "`"}) {
      if (name.length() > 1 && name.startsWith(quote) && name.endsWith(quote)) {
        return name.substring(1, name.length() - 1).replace(quote + quote, quote);
      }
    }
    return dialect.postgres() ? name.toLowerCase(Locale.ROOT) : name;
  }
}
