package io.migrationgate.runner.review;

import static io.migrationgate.runner.review.Reviews.only;
import static io.migrationgate.runner.review.Reviews.standing;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DataRulesTest {

  private static String locked(Dialect dialect, String statement) {
    return (dialect == Dialect.POSTGRESQL ? "SET lock_timeout = '5s';\n" : "") + statement;
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void uniqueIndexesAndConstraintsDependOnDuplicates(Dialect dialect) {
    assertThat(only(Reviews.of(dialect, "CREATE UNIQUE INDEX CONCURRENTLY orders_email ON orders (email);"), "data-unique")
        .message()).isEqualTo("fails if orders already holds duplicate (email) values");
    assertThat(standing(Reviews.of(dialect, locked(dialect, "ALTER TABLE orders ADD CONSTRAINT orders_email UNIQUE (email);"))))
        .contains("data-unique");
    assertThat(standing(Reviews.of(dialect, locked(dialect, "CREATE INDEX orders_email ON orders (email);"))))
        .doesNotContain("data-unique");
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"MYSQL", "MARIADB"})
  void mysqlUniqueKeys(Dialect dialect) {
    assertThat(standing(Reviews.of(dialect, "ALTER TABLE orders ADD UNIQUE INDEX orders_email (email), ALGORITHM=INPLACE;")))
        .containsExactly("data-unique");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void notNullDependsOnNulls(Dialect dialect) {
    String statement = dialect == Dialect.POSTGRESQL ? "ALTER TABLE orders ALTER COLUMN status SET NOT NULL;"
        : "ALTER TABLE orders MODIFY status varchar(20) NOT NULL, ALGORITHM=INPLACE;";
    assertThat(only(Reviews.of(dialect, locked(dialect, statement)), "data-not-null").message())
        .isEqualTo("fails if a row of orders has status NULL");
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = "POSTGRESQL")
  void aPostgresNotNullColumnWithoutDefaultNeedsAnEmptyTable(Dialect dialect) {
    assertThat(only(Reviews.of(dialect, locked(dialect, "ALTER TABLE orders ADD COLUMN note text NOT NULL;")), "data-not-null")
        .message()).isEqualTo("adding orders.note NOT NULL without a DEFAULT fails if orders has any row");
    assertThat(standing(Reviews.of(dialect, locked(dialect, "ALTER TABLE orders ADD COLUMN note text NOT NULL DEFAULT '';"))))
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void foreignKeysDependOnOrphans(Dialect dialect) {
    assertThat(standing(Reviews.of(dialect, locked(dialect,
        "ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id);"))))
        .contains("data-foreign-key");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void narrowingTypesDependOnTheValues(Dialect dialect) {
    String narrow = dialect == Dialect.POSTGRESQL ? "ALTER TABLE orders ALTER COLUMN code TYPE varchar(8);"
        : "ALTER TABLE orders MODIFY code varchar(8), ALGORITHM=INPLACE;";
    assertThat(only(Reviews.of(dialect, locked(dialect, narrow)), "data-narrowing-type").message())
        .startsWith("values of orders.code that do not fit varchar(8) fail the change");
    String wide = dialect == Dialect.POSTGRESQL ? "ALTER TABLE orders ALTER COLUMN code TYPE text;"
        : "ALTER TABLE orders MODIFY code text, ALGORITHM=INPLACE;";
    assertThat(standing(Reviews.of(dialect, locked(dialect, wide)))).doesNotContain("data-narrowing-type");
    String smallInt = dialect == Dialect.POSTGRESQL ? "ALTER TABLE orders ALTER COLUMN qty TYPE smallint;"
        : "ALTER TABLE orders MODIFY qty smallint, ALGORITHM=INPLACE;";
    assertThat(standing(Reviews.of(dialect, locked(dialect, smallInt)))).contains("data-narrowing-type");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void suppressed(Dialect dialect) {
    var review = Reviews.of(dialect, "-- migration-gate:allow data-unique emails were deduplicated by V7\n"
        + "CREATE UNIQUE INDEX CONCURRENTLY orders_email ON orders (email);");
    assertThat(only(review, "data-unique").suppressed()).isEqualTo("emails were deduplicated by V7");
  }
}
