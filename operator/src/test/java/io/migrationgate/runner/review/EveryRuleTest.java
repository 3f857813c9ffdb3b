package io.migrationgate.runner.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.contract.RiskLevel;
import io.migrationgate.contract.RunReport.RiskFinding;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule has a statement that raises it, on its own, and a comment can allow it there with a reason. */
class EveryRuleTest {

  private record Example(Dialect dialect, String script) {}

  private static final String TIMEOUT = "SET lock_timeout = '5s';\n";
  private static final Map<Rule, Example> EXAMPLES = new EnumMap<>(Rule.class);

  static {
    EXAMPLES.put(Rule.DROP_SCHEMA, new Example(Dialect.MARIADB, "DROP SCHEMA shop;"));
    EXAMPLES.put(Rule.DROP_TABLE, new Example(Dialect.MARIADB, "DROP TABLE orders;"));
    EXAMPLES.put(Rule.DROP_COLUMN, new Example(Dialect.POSTGRESQL, TIMEOUT + "ALTER TABLE orders DROP COLUMN note;"));
    EXAMPLES.put(Rule.DROP_CONSTRAINT, new Example(Dialect.POSTGRESQL, TIMEOUT + "ALTER TABLE orders DROP CONSTRAINT c;"));
    EXAMPLES.put(Rule.TRUNCATE, new Example(Dialect.MARIADB, "TRUNCATE TABLE orders;"));
    EXAMPLES.put(Rule.DELETE_WITHOUT_WHERE, new Example(Dialect.POSTGRESQL, "DELETE FROM orders;"));
    EXAMPLES.put(Rule.UPDATE_WITHOUT_WHERE, new Example(Dialect.MARIADB, "UPDATE orders SET note = '';"));
    EXAMPLES.put(Rule.RENAME_TABLE, new Example(Dialect.MARIADB, "RENAME TABLE orders TO orders_old;"));
    EXAMPLES.put(Rule.RENAME_COLUMN, new Example(Dialect.POSTGRESQL, TIMEOUT + "ALTER TABLE orders RENAME note TO remark;"));
    EXAMPLES.put(Rule.PG_INDEX_WITHOUT_CONCURRENTLY, new Example(Dialect.POSTGRESQL, TIMEOUT + "CREATE INDEX i ON orders (note);"));
    EXAMPLES.put(Rule.PG_DROP_INDEX_WITHOUT_CONCURRENTLY, new Example(Dialect.POSTGRESQL, TIMEOUT + "DROP INDEX i;"));
    EXAMPLES.put(Rule.PG_CONCURRENTLY_IN_TRANSACTION,
        new Example(Dialect.POSTGRESQL, TIMEOUT + "CREATE INDEX CONCURRENTLY i ON orders (note);"));
    EXAMPLES.put(Rule.PG_CONSTRAINT_WITHOUT_NOT_VALID,
        new Example(Dialect.POSTGRESQL, TIMEOUT + "ALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0);"));
    EXAMPLES.put(Rule.PG_ADD_UNIQUE_CONSTRAINT,
        new Example(Dialect.POSTGRESQL, TIMEOUT + "ALTER TABLE orders ADD CONSTRAINT u UNIQUE USING INDEX i, ADD UNIQUE (note);"));
    EXAMPLES.put(Rule.PG_SET_NOT_NULL, new Example(Dialect.POSTGRESQL, TIMEOUT + "ALTER TABLE orders ALTER note SET NOT NULL;"));
    EXAMPLES.put(Rule.PG_TYPE_CHANGE_REWRITE, new Example(Dialect.POSTGRESQL, TIMEOUT + "ALTER TABLE orders ALTER note TYPE text;"));
    EXAMPLES.put(Rule.PG_VOLATILE_DEFAULT,
        new Example(Dialect.POSTGRESQL, TIMEOUT + "ALTER TABLE orders ADD COLUMN r float8 DEFAULT random();"));
    EXAMPLES.put(Rule.PG_MISSING_LOCK_TIMEOUT, new Example(Dialect.POSTGRESQL, "ALTER TABLE orders ADD COLUMN note text;"));
    EXAMPLES.put(Rule.MYSQL_COPYING_ALTER, new Example(Dialect.MYSQL, "ALTER TABLE orders FORCE, ALGORITHM=COPY;"));
    EXAMPLES.put(Rule.MYSQL_NOT_NULL_WITHOUT_DEFAULT,
        new Example(Dialect.MYSQL, "ALTER TABLE orders ADD COLUMN n int NOT NULL, ALGORITHM=INSTANT;"));
    EXAMPLES.put(Rule.MYSQL_ENUM_SET_CHANGE, new Example(Dialect.MYSQL, "ALTER TABLE orders MODIFY s ENUM('a','b') NULL;"));
    EXAMPLES.put(Rule.MYSQL_TABLE_WITHOUT_PRIMARY_KEY, new Example(Dialect.MARIADB, "CREATE TABLE log (at datetime, what text);"));
    EXAMPLES.put(Rule.DATA_UNIQUE, new Example(Dialect.MARIADB, "CREATE UNIQUE INDEX u ON orders (note);"));
    EXAMPLES.put(Rule.DATA_NOT_NULL,
        new Example(Dialect.POSTGRESQL, TIMEOUT + "ALTER TABLE orders ADD COLUMN n int NOT NULL;"));
    EXAMPLES.put(Rule.DATA_FOREIGN_KEY, new Example(Dialect.MARIADB,
        "ALTER TABLE orders ADD CONSTRAINT f FOREIGN KEY (customer_id) REFERENCES customers (id), ALGORITHM=INPLACE;"));
    EXAMPLES.put(Rule.DATA_NARROWING_TYPE,
        new Example(Dialect.MARIADB, "ALTER TABLE orders MODIFY note varchar(10) NULL, ALGORITHM=INPLACE;"));
    EXAMPLES.put(Rule.NOT_ANALYSED, new Example(Dialect.POSTGRESQL, "VACUUM orders;"));
  }

  static Stream<Arguments> examples() {
    return EXAMPLES.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue().dialect(), e.getValue().script()));
  }

  @Test
  void everyRuleButTheOneAboutSuppressionsHasAnExample() {
    assertThat(EXAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(
        Arrays.stream(Rule.values()).filter(rule -> rule != Rule.SUPPRESSION_INVALID).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void theExampleRaisesTheRuleWithItsSeverityAndAlternative(Rule rule, Dialect dialect, String script) {
    var review = Reviews.of(dialect, script);
    assertThat(review.findings()).filteredOn(f -> f.rule().equals(rule.id()))
        .singleElement()
        .satisfies(f -> {
          assertThat(f.severity()).isEqualTo(rule.severity().word());
          assertThat(f.saferAlternative()).isEqualTo(rule.saferAlternative());
          assertThat(f.message()).isNotBlank();
          assertThat(f.suppressed()).isNull();
        });
    assertThat(review.level()).isGreaterThanOrEqualTo(rule.severity());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void aCommentAllowsTheRuleWithItsReason(Rule rule, Dialect dialect, String script) {
    String lastStatement = script.substring(script.lastIndexOf('\n') + 1);
    String allowed = script.substring(0, script.length() - lastStatement.length())
        + "-- migration-gate:allow " + rule.id() + " reviewed with the DBA, ticket OPS-7\n" + lastStatement;
    var review = Reviews.of(dialect, allowed);
    RiskFinding finding = review.findings().stream().filter(f -> f.rule().equals(rule.id())).findFirst().orElseThrow();
    assertThat(finding.suppressed()).isEqualTo("reviewed with the DBA, ticket OPS-7");
    assertThat(Reviews.standing(review)).doesNotContain(rule.id(), Rule.SUPPRESSION_INVALID.id());
    if (Reviews.standing(review).isEmpty()) {
      assertThat(review.level()).isEqualTo(RiskLevel.NONE);
    }
  }
}
