package io.migrationgate.runner.review;

import static io.migrationgate.runner.review.Reviews.only;
import static io.migrationgate.runner.review.Reviews.standing;
import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.contract.RiskLevel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MysqlRulesTest {

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"MYSQL", "MARIADB"})
  void algorithmCopyAndBlockingLocks(Dialect dialect) {
    assertThat(only(Reviews.of(dialect, "ALTER TABLE orders ADD COLUMN note text, ALGORITHM=COPY;"), "mysql-copying-alter")
        .message()).isEqualTo("asks for ALGORITHM=COPY: writes to orders are blocked until the ALTER ends");
    assertThat(standing(Reviews.of(dialect, "ALTER TABLE orders ADD INDEX orders_status (status), LOCK=SHARED;")))
        .containsExactly("mysql-copying-alter");
    assertThat(Reviews.of(dialect, "ALTER TABLE orders ALGORITHM=INPLACE, LOCK=NONE, ADD INDEX orders_status (status);")
        .findings()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"MYSQL", "MARIADB"})
  void redefiningAColumnWithoutAnInPlaceAlgorithmMayCopy(Dialect dialect) {
    assertThat(standing(Reviews.of(dialect, "ALTER TABLE orders MODIFY note text;"))).containsExactly("mysql-copying-alter");
    assertThat(standing(Reviews.of(dialect, "ALTER TABLE orders MODIFY note text, ALGORITHM=INPLACE, LOCK=NONE;"))).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"MYSQL", "MARIADB"})
  void notNullWithoutDefault(Dialect dialect) {
    assertThat(standing(Reviews.of(dialect, "ALTER TABLE orders ADD COLUMN note varchar(20) NOT NULL, ALGORITHM=INPLACE;")))
        .containsExactly("mysql-not-null-without-default");
    assertThat(Reviews.of(dialect, "ALTER TABLE orders ADD COLUMN note varchar(20) NOT NULL DEFAULT '', ALGORITHM=INPLACE;")
        .findings()).isEmpty();
    assertThat(Reviews.of(dialect, "ALTER TABLE orders ADD COLUMN note varchar(20) NULL;").findings()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"MYSQL", "MARIADB"})
  void enumAndSetChanges(Dialect dialect) {
    assertThat(standing(Reviews.of(dialect, "ALTER TABLE orders MODIFY COLUMN status ENUM('new','paid','sent');")))
        .contains("mysql-enum-set-change").doesNotContain("mysql-copying-alter");
    assertThat(standing(Reviews.of(dialect, "ALTER TABLE orders MODIFY tags SET('a','b');"))).contains("mysql-enum-set-change");
    // with INSTANT the server refuses any change it cannot make without a copy
    assertThat(standing(Reviews.of(dialect, "ALTER TABLE orders MODIFY COLUMN status ENUM('new','paid','sent'), ALGORITHM=INSTANT;")))
        .doesNotContain("mysql-enum-set-change");
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"MYSQL", "MARIADB"})
  void tablesWithoutAPrimaryKey(Dialect dialect) {
    assertThat(only(Reviews.of(dialect, "CREATE TABLE notes (id int NOT NULL, body text) ENGINE=InnoDB;"),
        "mysql-table-without-primary-key").severity()).isEqualTo(RiskLevel.LOW.word());
    assertThat(Reviews.of(dialect, "CREATE TABLE notes (id int NOT NULL AUTO_INCREMENT, PRIMARY KEY (id)) ENGINE=InnoDB;")
        .findings()).isEmpty();
    assertThat(Reviews.of(dialect, "CREATE TABLE notes (id int PRIMARY KEY, body text);").findings()).isEmpty();
    assertThat(Reviews.of(dialect, "CREATE TEMPORARY TABLE scratch (id int);").findings()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"MYSQL", "MARIADB"})
  void tablesTheScriptsCreateAreNotCopiedWhileInUse(Dialect dialect) {
    assertThat(Reviews.of(dialect, "CREATE TABLE notes (id int PRIMARY KEY, status varchar(10));\n"
        + "ALTER TABLE notes MODIFY status ENUM('a','b') NOT NULL, ALGORITHM=COPY;").findings()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"MYSQL", "MARIADB"})
  void suppressed(Dialect dialect) {
    var review = Reviews.of(dialect,
        "ALTER TABLE orders ADD COLUMN note text, ALGORITHM=COPY; -- migration-gate:allow mysql-copying-alter 300 rows");
    assertThat(only(review, "mysql-copying-alter").suppressed()).isEqualTo("300 rows");
    assertThat(review.level()).isEqualTo(RiskLevel.NONE);
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"MYSQL", "MARIADB"})
  void postgresRulesDoNotApply(Dialect dialect) {
    assertThat(Reviews.of(dialect, "CREATE INDEX orders_status ON orders (status);").findings()).isEmpty();
  }
}
