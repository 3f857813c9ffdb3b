package io.migrationgate.runner;

import io.migrationgate.runner.review.DataQuestion.Name;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the catalog says about the tables a check asks about: whether they exist (a table the
 * pending scripts create does not yet), their exact names, columns and primary key, and their
 * size: PostgreSQL's {@code pg_class.reltuples} and {@code pg_total_relation_size}, MySQL's and
 * MariaDB's {@code information_schema.TABLES} ({@code TABLE_ROWS}, {@code DATA_LENGTH +
 * INDEX_LENGTH}). Names the script leaves unqualified are looked up in {@code defaultSchema}.
 */
final class DataCatalog {

  /** A table as the catalog names it, with its row estimate (negative: never counted) and bytes. */
  record Table(String schema, String name, Long rows, Long bytes) {

    @Override
    public String toString() {
      return name;
    }
  }

  private static final String PG_TABLE = "SELECT n.nspname, c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid)"
      + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
      + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p', 'm')";
  private static final String PG_TABLE_OF_INDEX = "SELECT n.nspname, c.relname, c.reltuples::bigint,"
      + " pg_total_relation_size(c.oid) FROM pg_index i"
      + " JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_namespace xn ON xn.oid = x.relnamespace"
      + " JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
      + " WHERE xn.nspname = ? AND x.relname = ?";
  // Table names compare without case here as MySQL's catalog does on most systems; an exact match wins.
  private static final String MYSQL_TABLE = "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS, DATA_LENGTH + INDEX_LENGTH"
      + " FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND lower(TABLE_NAME) = lower(?)"
      + " ORDER BY TABLE_NAME = ? DESC";
  private static final String COLUMNS = "SELECT column_name, data_type FROM information_schema.columns"
      + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position";
  private static final String PRIMARY_KEY = "SELECT k.column_name FROM information_schema.table_constraints t"
      + " JOIN information_schema.key_column_usage k ON k.constraint_schema = t.constraint_schema"
      + " AND k.constraint_name = t.constraint_name AND k.table_name = t.table_name"
      + " WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = ? AND t.table_name = ? ORDER BY k.ordinal_position";

  private final DataCheckSession session;
  private final String defaultSchema;

  DataCatalog(DataCheckSession session, String defaultSchema) {
    this.session = session;
    this.defaultSchema = defaultSchema;
  }

  /** The table, or for {@code ofIndex} the table of the index so named; empty when there is none (yet). */
  Optional<Table> table(Name name, boolean ofIndex) throws SQLException {
    String schema = name.schema() != null ? name.schema() : defaultSchema;
    List<Object[]> rows;
    if (session.postgres()) {
      rows = session.rows(ofIndex ? PG_TABLE_OF_INDEX : PG_TABLE, schema, name.name());
    } else if (ofIndex) {
      return Optional.empty();
    } else {
      rows = session.rows(MYSQL_TABLE, schema, name.name(), name.name());
    }
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Object[] row = rows.get(0);
    return Optional.of(new Table((String) row[0], (String) row[1], number(row[2]), number(row[3])));
  }

  /** Column name to its data_type, in the table's order. */
  Map<String, String> columns(Table table) throws SQLException {
    Map<String, String> columns = new LinkedHashMap<>();
    for (Object[] row : session.rows(COLUMNS, table.schema(), table.name())) {
      columns.put((String) row[0], String.valueOf(row[1]));
    }
    return columns;
  }

  /** The column as the catalog names it: exactly on PostgreSQL, without case on MySQL and MariaDB. */
  Optional<String> column(Map<String, String> columns, String wanted) {
    if (columns.containsKey(wanted)) {
      return Optional.of(wanted);
    }
    return session.postgres() ? Optional.empty()
        : columns.keySet().stream().filter(wanted::equalsIgnoreCase).findFirst();
  }

  List<String> primaryKey(Table table) throws SQLException {
    List<String> columns = new ArrayList<>();
    for (Object[] row : session.rows(PRIMARY_KEY, table.schema(), table.name())) {
      columns.add((String) row[0]);
    }
    return columns;
  }

  private static Long number(Object value) {
    return value instanceof Number number ? number.longValue() : null;
  }
}
