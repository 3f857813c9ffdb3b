package io.migrationgate.runner.review;

import static io.migrationgate.runner.review.Reviews.only;
import static io.migrationgate.runner.review.Reviews.standing;
import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.contract.RiskLevel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DestructiveRulesTest {

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void droppingASchemaOrDatabaseIsDestructive(Dialect dialect) {
    assertThat(standing(Reviews.of(dialect, "DROP SCHEMA shop CASCADE;"))).contains("drop-schema");
    assertThat(standing(Reviews.of(dialect, "DROP DATABASE IF EXISTS shop;"))).contains("drop-schema");
    assertThat(Reviews.of(dialect, "DROP SCHEMA shop;").level()).isEqualTo(RiskLevel.DESTRUCTIVE);
    assertThat(standing(Reviews.of(dialect, "DROP VIEW shop_totals;"))).doesNotContain("drop-schema", "drop-table");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void droppingATableNamesEveryTable(Dialect dialect) {
    assertThat(only(Reviews.of(dialect, "DROP TABLE IF EXISTS orders, items;"), "drop-table").message())
        .isEqualTo("drops table orders and every row in it; drops table items and every row in it");
    assertThat(standing(Reviews.of(dialect, "DROP TABLE IF EXISTS orders, items;"))).doesNotContain("not-analysed");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aTableTheScriptsCreateMayBeDroppedAndEmptied(Dialect dialect) {
    String script = "CREATE TABLE staging (id int PRIMARY KEY);\nINSERT INTO staging VALUES (1);\n"
        + "DELETE FROM staging;\nUPDATE staging SET id = 2;\nTRUNCATE TABLE staging;\nDROP TABLE staging;";
    assertThat(standing(Reviews.of(dialect, script)))
        .doesNotContain("drop-table", "truncate", "delete-without-where", "update-without-where");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void truncateIsDestructive(Dialect dialect) {
    assertThat(only(Reviews.of(dialect, "TRUNCATE TABLE orders;"), "truncate").message()).isEqualTo("deletes every row of orders");
    assertThat(standing(Reviews.of(dialect, "TRUNCATE orders;"))).contains("truncate");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void deleteAndUpdateWithoutWhere(Dialect dialect) {
    assertThat(standing(Reviews.of(dialect, "DELETE FROM orders;"))).containsExactly("delete-without-where");
    assertThat(standing(Reviews.of(dialect, "UPDATE orders SET status = 'new';"))).containsExactly("update-without-where");
    assertThat(standing(Reviews.of(dialect, "DELETE FROM orders WHERE created < '2020-01-01';"))).isEmpty();
    assertThat(standing(Reviews.of(dialect, "UPDATE orders SET status = 'new' WHERE status IS NULL;"))).isEmpty();
    // a WHERE inside a subquery does not narrow the outer statement
    assertThat(standing(Reviews.of(dialect, "UPDATE orders SET total = (SELECT max(total) FROM items WHERE items.id = 1);")))
        .containsExactly("update-without-where");
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"MYSQL", "MARIADB"})
  void aMysqlDeleteThroughAJoinIsNarrowedByTheJoin(Dialect dialect) {
    assertThat(standing(Reviews.of(dialect, "DELETE o FROM orders o JOIN gone g ON o.id = g.id;"))).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void droppingAColumnOrAConstraint(Dialect dialect) {
    assertThat(only(Reviews.of(dialect, "ALTER TABLE orders DROP COLUMN status;"), "drop-column").message())
        .isEqualTo("drops column orders.status and its data");
    assertThat(only(Reviews.of(dialect, "ALTER TABLE orders DROP CONSTRAINT orders_status_check;"), "drop-constraint")
        .message()).startsWith("drops constraint orders_status_check of orders");
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"MYSQL", "MARIADB"})
  void mysqlSpellingsOfDroppingAConstraint(Dialect dialect) {
    assertThat(standing(Reviews.of(dialect, "ALTER TABLE orders DROP FOREIGN KEY fk_customer;"))).contains("drop-constraint");
    assertThat(standing(Reviews.of(dialect, "ALTER TABLE orders DROP PRIMARY KEY;"))).contains("drop-constraint");
    assertThat(standing(Reviews.of(dialect, "ALTER TABLE orders DROP CHECK total_positive;"))).contains("drop-constraint");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void renamingATableOrAColumn(Dialect dialect) {
    assertThat(standing(Reviews.of(dialect, "ALTER TABLE orders RENAME TO orders_old;"))).contains("rename-table");
    assertThat(only(Reviews.of(dialect, "ALTER TABLE orders RENAME COLUMN status TO state;"), "rename-column").message())
        .isEqualTo("renames column orders.status to state: code that uses the old name fails");
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"MYSQL", "MARIADB"})
  void mysqlRenames(Dialect dialect) {
    assertThat(standing(Reviews.of(dialect, "RENAME TABLE orders TO orders_old;"))).containsExactly("rename-table");
    assertThat(standing(Reviews.of(dialect, "ALTER TABLE orders CHANGE COLUMN status state varchar(20), ALGORITHM=INPLACE;")))
        .contains("rename-column");
    assertThat(standing(Reviews.of(dialect, "ALTER TABLE orders CHANGE COLUMN status status varchar(20), ALGORITHM=INPLACE;")))
        .doesNotContain("rename-column");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void addingIsNotDestructive(Dialect dialect) {
    assertThat(Reviews.of(dialect, "CREATE TABLE notes (id int PRIMARY KEY, body text);\n"
        + "INSERT INTO notes (id, body) VALUES (1, 'a');").findings()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aSuppressedDropShowsItsReasonAndNoLongerCounts(Dialect dialect) {
    var review = Reviews.of(dialect, "-- migration-gate:allow drop-table unused since release 41, backed up in ticket OPS-12\n"
        + "DROP TABLE audit_old;");
    assertThat(only(review, "drop-table").suppressed()).isEqualTo("unused since release 41, backed up in ticket OPS-12");
    assertThat(review.level()).isNotEqualTo(RiskLevel.DESTRUCTIVE);
  }
}
