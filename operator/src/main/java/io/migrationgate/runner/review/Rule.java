package io.migrationgate.runner.review;

import io.migrationgate.contract.RiskLevel;
import java.util.Optional;

/**
 * The review's rules: a stable id (what suppression comments, status and alerts name), a severity
 * and the safer way to do the same thing, in one line. docs/approvals.md, "Risk and approval
 * rules", says what each flags and why; {@code RiskRulesDocumentedTest} keeps the two in step.
 */
public enum Rule {
  DROP_SCHEMA("drop-schema", RiskLevel.DESTRUCTIVE,
      "keep the schema; if it must go, drop it in a later release, after a backup and once nothing reads it"),
  DROP_TABLE("drop-table", RiskLevel.DESTRUCTIVE,
      "rename the table aside first and drop it in a later release, once no code reads it"),
  DROP_COLUMN("drop-column", RiskLevel.DESTRUCTIVE,
      "stop reading and writing the column in a release first, then drop it in a later one"),
  DROP_CONSTRAINT("drop-constraint", RiskLevel.DESTRUCTIVE,
      "drop a constraint only once the code no longer relies on it, in its own script"),
  TRUNCATE("truncate", RiskLevel.DESTRUCTIVE, "delete the rows you mean with a WHERE clause, in batches"),
  DELETE_WITHOUT_WHERE("delete-without-where", RiskLevel.DESTRUCTIVE,
      "add a WHERE clause that names the rows, and delete large sets in batches"),
  UPDATE_WITHOUT_WHERE("update-without-where", RiskLevel.DESTRUCTIVE,
      "add a WHERE clause that names the rows, and update large sets in batches"),
  RENAME_TABLE("rename-table", RiskLevel.DESTRUCTIVE,
      "create the new table (or a view under the new name), move readers and writers over, then drop the old one"),
  RENAME_COLUMN("rename-column", RiskLevel.DESTRUCTIVE,
      "add the new column, write both, backfill, move readers over, then drop the old column"),

  PG_INDEX_WITHOUT_CONCURRENTLY("pg-index-without-concurrently", RiskLevel.HIGH,
      "CREATE INDEX CONCURRENTLY, alone in its own script (Flyway then runs that script outside a transaction)"),
  PG_DROP_INDEX_WITHOUT_CONCURRENTLY("pg-drop-index-without-concurrently", RiskLevel.HIGH,
      "DROP INDEX CONCURRENTLY, alone in its own script"),
  PG_CONCURRENTLY_IN_TRANSACTION("pg-concurrently-in-transaction", RiskLevel.HIGH,
      "move the statement into a script of its own, with nothing else in it"),
  PG_CONSTRAINT_WITHOUT_NOT_VALID("pg-constraint-without-not-valid", RiskLevel.HIGH,
      "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later script"),
  PG_ADD_UNIQUE_CONSTRAINT("pg-add-unique-constraint", RiskLevel.HIGH,
      "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE (or PRIMARY KEY) USING INDEX"),
  PG_SET_NOT_NULL("pg-set-not-null", RiskLevel.HIGH,
      "ADD CONSTRAINT ... CHECK (column IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (no scan since PostgreSQL 12)"),
  PG_TYPE_CHANGE_REWRITE("pg-type-change-rewrite", RiskLevel.HIGH,
      "add a column of the new type, backfill it in batches, move readers over, then drop the old column"),
  PG_VOLATILE_DEFAULT("pg-volatile-default", RiskLevel.HIGH,
      "add the column without a default (or with a constant one), then backfill it in batches"),
  PG_MISSING_LOCK_TIMEOUT("pg-missing-lock-timeout", RiskLevel.LOW,
      "start the script with SET lock_timeout = '5s', so a lock that cannot be had fails fast instead of queueing every query"),

  MYSQL_COPYING_ALTER("mysql-copying-alter", RiskLevel.HIGH,
      "write ALGORITHM=INPLACE, LOCK=NONE (or ALGORITHM=INSTANT) so the server refuses instead of copying; "
          + "use an online schema change tool for a change that must copy"),
  MYSQL_NOT_NULL_WITHOUT_DEFAULT("mysql-not-null-without-default", RiskLevel.HIGH,
      "give the column an explicit DEFAULT, or add it NULL, backfill it, then make it NOT NULL"),
  MYSQL_ENUM_SET_CHANGE("mysql-enum-set-change", RiskLevel.HIGH,
      "only append values at the end of the list, and write ALGORITHM=INSTANT so the server refuses if it would copy"),
  MYSQL_TABLE_WITHOUT_PRIMARY_KEY("mysql-table-without-primary-key", RiskLevel.LOW,
      "declare a PRIMARY KEY: replication, Galera and online schema change tools need one"),

  DATA_UNIQUE("data-unique", RiskLevel.LOW,
      "find and resolve duplicates in an earlier script (the plan will check for them)"),
  DATA_NOT_NULL("data-not-null", RiskLevel.LOW,
      "backfill the NULLs in an earlier script, or give the column a DEFAULT"),
  DATA_FOREIGN_KEY("data-foreign-key", RiskLevel.LOW,
      "delete or fix the rows without a parent in an earlier script"),
  DATA_NARROWING_TYPE("data-narrowing-type", RiskLevel.LOW,
      "check that every value fits the new type, and fix those that do not in an earlier script"),

  NOT_ANALYSED("not-analysed", RiskLevel.HIGH,
      "review the statement by hand; suppress this finding with the result of that review"),
  SUPPRESSION_INVALID("suppression-invalid", RiskLevel.LOW,
      "write -- migration-gate:allow <rule-id> <reason> on the lines of the statement it allows, or just above it");

  private final String id;
  private final RiskLevel severity;
  private final String saferAlternative;

  Rule(String id, RiskLevel severity, String saferAlternative) {
    this.id = id;
    this.severity = severity;
    this.saferAlternative = saferAlternative;
  }

  public String id() {
    return id;
  }

  public RiskLevel severity() {
    return severity;
  }

  public String saferAlternative() {
    return saferAlternative;
  }

  static Optional<Rule> ofId(String id) {
    for (Rule rule : values()) {
      if (rule.id.equals(id)) {
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }
}
