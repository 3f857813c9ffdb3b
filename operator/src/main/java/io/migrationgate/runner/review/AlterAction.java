package io.migrationgate.runner.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.alter.AlterExpression.ColumnDataType;
import net.sf.jsqlparser.statement.create.table.CheckConstraint;
import net.sf.jsqlparser.statement.create.table.ForeignKeyIndex;
import net.sf.jsqlparser.statement.create.table.Index;

/**
 * One action of an ALTER TABLE, in the terms the rules ask about. JSqlParser models the actions
 * unevenly (a {@code SET NOT NULL} arrives as a column whose data type is {@code SET}); this is
 * the one place that reads its model, so the rules never do.
 */
record AlterAction(Kind kind, int index, String column, String type, List<String> typeArguments,
    List<String> specs, String target, Reference reference) {

  /** A foreign key's columns, the table it points at and that table's columns (empty: its primary key). */
  record Reference(List<String> columns, Table parent, List<String> parentColumns) {}

  enum Kind {
    ADD_COLUMN, ADD_FOREIGN_KEY, ADD_CHECK, ADD_UNIQUE, ADD_PRIMARY_KEY, ALTER_TYPE, SET_NOT_NULL, MODIFY_COLUMN,
    DROP_COLUMN, DROP_CONSTRAINT, RENAME_COLUMN, RENAME_TABLE, ALGORITHM, LOCK, OTHER
  }

  static List<AlterAction> of(Alter alter) {
    List<AlterAction> actions = new ArrayList<>();
    List<AlterExpression> expressions = alter.getAlterExpressions() == null ? List.of() : alter.getAlterExpressions();
    for (int index = 0; index < expressions.size(); index++) {
      read(expressions.get(index), index, actions);
    }
    return actions;
  }

  /** The type's name without its arguments, in lower case: "varchar", "enum", "numeric". */
  String typeName() {
    if (type == null) {
      return "";
    }
    String name = type.strip().toLowerCase(Locale.ROOT);
    int end = 0;
    while (end < name.length() && (Character.isLetterOrDigit(name.charAt(end)) || name.charAt(end) == '_')) {
      end++;
    }
    return name.substring(0, end);
  }

  /** Whether the column's words say this, e.g. {@code hasSpecs("NOT", "NULL")}. */
  boolean hasSpecs(String... words) {
    for (int i = 0; i + words.length <= specs.size(); i++) {
      boolean all = true;
      for (int j = 0; j < words.length && all; j++) {
        all = specs.get(i + j).equalsIgnoreCase(words[j]);
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  private static void read(AlterExpression e, int index, List<AlterAction> into) {
    switch (e.getOperation()) {
      case ADD -> add(e, index, into);
      case ALTER -> columns(e, index, into, true);
      case MODIFY -> columns(e, index, into, false);
      case CHANGE -> {
        columns(e, index, into, false);
        if (e.getColDataTypeList() != null && !e.getColDataTypeList().isEmpty()
            && !e.getColDataTypeList().get(0).getColumnName().equalsIgnoreCase(e.getColumnOldName())) {
          into.add(simple(Kind.RENAME_COLUMN, index, e.getColumnOldName(),
              e.getColDataTypeList().get(0).getColumnName()));
        }
      }
      case DROP -> {
        if (e.getColumnName() != null) {
          into.add(simple(Kind.DROP_COLUMN, index, e.getColumnName(), null));
        } else if (e.getConstraintName() != null) {
          into.add(simple(Kind.DROP_CONSTRAINT, index, null, e.getConstraintName()));
        } else {
          into.add(simple(Kind.OTHER, index, null, null));
        }
      }
      case DROP_PRIMARY_KEY -> into.add(simple(Kind.DROP_CONSTRAINT, index, null, "PRIMARY KEY"));
      case DROP_UNIQUE, DROP_FOREIGN_KEY -> into.add(simple(Kind.DROP_CONSTRAINT, index, null,
          e.getConstraintName() != null ? e.getConstraintName() : e.getOperation().toString()));
      case RENAME -> into.add(e.getColumnOldName() != null
          ? simple(Kind.RENAME_COLUMN, index, e.getColumnOldName(), e.getColumnName())
          : simple(Kind.OTHER, index, null, null));
      case RENAME_TABLE -> into.add(simple(Kind.RENAME_TABLE, index, null, e.getNewTableName()));
      case ALGORITHM -> into.add(simple(Kind.ALGORITHM, index, null, e.getAlgorithmOption()));
      case LOCK -> into.add(simple(Kind.LOCK, index, null, e.getLockOption()));
      default -> into.add(simple(Kind.OTHER, index, null, null));
    }
  }

  private static void add(AlterExpression e, int index, List<AlterAction> into) {
    Index constraint = e.getIndex();
    if (e.getColDataTypeList() != null && !e.getColDataTypeList().isEmpty()) {
      for (ColumnDataType column : e.getColDataTypeList()) {
        into.add(column(Kind.ADD_COLUMN, index, column));
      }
    } else if (constraint instanceof ForeignKeyIndex key) {
      into.add(new AlterAction(Kind.ADD_FOREIGN_KEY, index, null, null, List.of(), List.of(), key.getName(),
          new Reference(names(key.getColumnsNames()), key.getTable(), names(key.getReferencedColumnNames()))));
    } else if (e.getFkColumns() != null) {
      into.add(new AlterAction(Kind.ADD_FOREIGN_KEY, index, null, null, List.of(), List.of(),
          constraint != null ? constraint.getName() : null, new Reference(names(e.getFkColumns()),
          e.getFkSourceTable() == null ? null : new Table(e.getFkSourceTable()), names(e.getFkSourceColumns()))));
    } else if (constraint instanceof CheckConstraint) {
      into.add(simple(Kind.ADD_CHECK, index, null, constraint.getName()));
    } else if (e.getPkColumns() != null || constraint != null && "PRIMARY KEY".equalsIgnoreCase(constraint.getType())) {
      into.add(simple(Kind.ADD_PRIMARY_KEY, index, null, columns(e.getPkColumns(), constraint)));
    } else if (e.getUkColumns() != null
        || constraint != null && constraint.getType() != null && constraint.getType().toUpperCase(Locale.ROOT).startsWith("UNIQUE")) {
      into.add(simple(Kind.ADD_UNIQUE, index, null, columns(e.getUkColumns(), constraint)));
    } else {
      into.add(simple(Kind.OTHER, index, null, null));
    }
  }

  /** ALTER COLUMN (PostgreSQL) or MODIFY/CHANGE (MySQL) of one or more columns. */
  private static void columns(AlterExpression e, int index, List<AlterAction> into, boolean alterColumn) {
    if (e.getColDataTypeList() == null || e.getColDataTypeList().isEmpty()) {
      into.add(simple(Kind.OTHER, index, null, null));
      return;
    }
    for (ColumnDataType column : e.getColDataTypeList()) {
      AlterAction read = column(alterColumn ? Kind.ALTER_TYPE : Kind.MODIFY_COLUMN, index, column);
      if (!alterColumn) {
        into.add(read);
      } else if (read.type == null) {
        into.add(simple(Kind.OTHER, index, read.column, null)); // DROP NOT NULL, DROP DEFAULT, ...
      } else if ("set".equals(read.typeName()) && read.hasSpecs("NOT", "NULL")) {
        into.add(simple(Kind.SET_NOT_NULL, index, read.column, null));
      } else if ("set".equals(read.typeName())) {
        into.add(simple(Kind.OTHER, index, read.column, null)); // SET STATISTICS, SET STORAGE, ...
      } else {
        into.add(read);
      }
    }
  }

  private static AlterAction column(Kind kind, int index, ColumnDataType column) {
    var type = column.getColDataType();
    // JSqlParser writes "varchar (5)" for what the script wrote as varchar(5)
    return new AlterAction(kind, index, column.getColumnName(), type == null ? null : type.toString().replace(" (", "("),
        type == null || type.getArgumentsStringList() == null ? List.of() : List.copyOf(type.getArgumentsStringList()),
        column.getColumnSpecs() == null ? List.of() : List.copyOf(column.getColumnSpecs()), null, null);
  }

  private static AlterAction simple(Kind kind, int index, String column, String target) {
    return new AlterAction(kind, index, column, null, List.of(), List.of(), target, null);
  }

  private static List<String> names(List<String> names) {
    return names == null ? List.of() : List.copyOf(names);
  }

  private static String columns(List<String> names, Index constraint) {
    if (names != null) {
      return String.join(", ", names);
    }
    return constraint == null || constraint.getColumnsNames() == null ? null : String.join(", ", constraint.getColumnsNames());
  }
}
