package io.migrationgate.runner.review;

import static io.migrationgate.runner.review.Reviews.only;
import static io.migrationgate.runner.review.Reviews.postgres;
import static io.migrationgate.runner.review.Reviews.standing;
import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.contract.RiskLevel;
import io.migrationgate.runner.review.ScriptReview.Script;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostgresRulesTest {

  private static final String TIMEOUT = "SET lock_timeout = '5s';\n";

  @Test
  void anIndexBuiltWithoutConcurrentlyBlocksWrites() {
    assertThat(standing(postgres(TIMEOUT + "CREATE INDEX orders_status ON orders (status);")))
        .containsExactly("pg-index-without-concurrently");
    assertThat(only(postgres(TIMEOUT + "CREATE INDEX orders_status ON orders (status);"), "pg-index-without-concurrently")
        .message()).isEqualTo("CREATE INDEX on orders blocks every write to it until the index is built");
    // clauses JSqlParser 5.3 has no grammar for are read around, not turned into "not analysed"
    assertThat(standing(postgres(TIMEOUT
        + "CREATE INDEX orders_open ON orders (created DESC NULLS LAST) INCLUDE (total) WHERE status = 'open';")))
        .containsExactly("pg-index-without-concurrently");
  }

  @Test
  void anIndexBuiltConcurrentlyAloneInItsScriptIsFine() {
    assertThat(postgres("CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status ON orders (status);").findings()).isEmpty();
    assertThat(postgres("DROP INDEX CONCURRENTLY IF EXISTS orders_status;").findings()).isEmpty();
  }

  @Test
  void droppingAnIndexWithoutConcurrently() {
    assertThat(standing(postgres(TIMEOUT + "DROP INDEX orders_status;"))).containsExactly("pg-drop-index-without-concurrently");
    assertThat(standing(postgres(TIMEOUT + "CREATE INDEX CONCURRENTLY tmp_idx ON orders (id);\nDROP INDEX tmp_idx;")))
        .doesNotContain("pg-drop-index-without-concurrently");
  }

  @Test
  void concurrentlyBesideTransactionalStatementsMakesFlywayRefuseTheScript() {
    var review = postgres("ALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX CONCURRENTLY orders_note ON orders (note);");
    assertThat(only(review, "pg-concurrently-in-transaction").line()).isEqualTo(2);
    assertThat(only(review, "pg-concurrently-in-transaction").message())
        .contains("Flyway refuses to mix the two in one script");
  }

  @Test
  void concurrentlyInAScriptWhoseConfForcesATransaction() {
    var script = new Script("V3__index.sql", "CREATE INDEX CONCURRENTLY orders_note ON orders (note);", Optional.of(true));
    var review = ScriptReview.review(Dialect.POSTGRESQL, List.of(script), Map.of());
    assertThat(only(review, "pg-concurrently-in-transaction").message()).contains("executeInTransaction=true");

    var outside = new Script("V3__index.sql", "ALTER TABLE orders ADD COLUMN note text;\n"
        + "CREATE INDEX CONCURRENTLY orders_note ON orders (note);", Optional.of(false));
    assertThat(Reviews.rules(ScriptReview.review(Dialect.POSTGRESQL, List.of(outside), Map.of())))
        .doesNotContain("pg-concurrently-in-transaction");
  }

  @Test
  void reindexConcurrentlyIsNotRecognisedByFlywaySoItRunsInATransaction() {
    var review = postgres("REINDEX TABLE CONCURRENTLY orders;");
    assertThat(only(review, "pg-concurrently-in-transaction").message()).contains("Flyway does not know");
  }

  @Test
  void foreignKeysAndChecksWantNotValid() {
    assertThat(standing(postgres(TIMEOUT
        + "ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id);")))
        .contains("pg-constraint-without-not-valid", "data-foreign-key");
    assertThat(standing(postgres(TIMEOUT + "ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0);")))
        .containsExactly("pg-constraint-without-not-valid");
    assertThat(standing(postgres(TIMEOUT
        + "ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;")))
        .isEmpty();
    // NOT VALID belongs to the action it ends, not to the whole statement
    assertThat(standing(postgres(TIMEOUT + "ALTER TABLE orders ADD CONSTRAINT a CHECK (total > 0) NOT VALID, "
        + "ADD CONSTRAINT b CHECK (total < 1000);"))).containsExactly("pg-constraint-without-not-valid");
  }

  @Test
  void uniqueConstraintsWantAnIndexBuiltConcurrentlyFirst() {
    assertThat(standing(postgres(TIMEOUT + "ALTER TABLE orders ADD CONSTRAINT orders_email UNIQUE (email);")))
        .containsExactlyInAnyOrder("pg-add-unique-constraint", "data-unique");
    assertThat(standing(postgres(TIMEOUT + "ALTER TABLE orders ADD PRIMARY KEY (id);")))
        .containsExactlyInAnyOrder("pg-add-unique-constraint", "data-unique");
    assertThat(standing(postgres(TIMEOUT + "ALTER TABLE orders ADD CONSTRAINT orders_email UNIQUE USING INDEX orders_email_idx;")))
        .isEmpty();
  }

  @Test
  void setNotNullScansTheTable() {
    assertThat(standing(postgres(TIMEOUT + "ALTER TABLE orders ALTER COLUMN status SET NOT NULL;")))
        .containsExactlyInAnyOrder("pg-set-not-null", "data-not-null");
    assertThat(standing(postgres(TIMEOUT + "ALTER TABLE orders ALTER COLUMN status DROP NOT NULL;"))).isEmpty();
  }

  @Test
  void aTypeChangeMayRewriteTheTable() {
    assertThat(standing(postgres(TIMEOUT + "ALTER TABLE orders ALTER COLUMN total TYPE bigint;")))
        .containsExactly("pg-type-change-rewrite");
    assertThat(standing(postgres(TIMEOUT + "ALTER TABLE orders ALTER COLUMN total SET DATA TYPE numeric(12,2) USING total::numeric;")))
        .containsExactlyInAnyOrder("pg-type-change-rewrite", "data-narrowing-type");
  }

  @Test
  void aVolatileDefaultRewritesTheTable() {
    assertThat(only(postgres(TIMEOUT + "ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();"),
        "pg-volatile-default").message()).startsWith("adds orders.token with default gen_random_uuid()");
    assertThat(standing(postgres(TIMEOUT + "ALTER TABLE orders ADD COLUMN seq bigserial;"))).contains("pg-volatile-default");
    assertThat(standing(postgres(TIMEOUT + "ALTER TABLE orders ADD COLUMN n int GENERATED ALWAYS AS IDENTITY;")))
        .contains("pg-volatile-default");
    // stable and constant defaults are stored once in the catalog, with no rewrite
    assertThat(standing(postgres(TIMEOUT + "ALTER TABLE orders ADD COLUMN created timestamptz DEFAULT now(), "
        + "ADD COLUMN status text DEFAULT 'new', ADD COLUMN at timestamptz DEFAULT CURRENT_TIMESTAMP;"))).isEmpty();
  }

  @Test
  void lockingStatementsWantALockTimeoutSetEarlierInTheScript() {
    assertThat(only(postgres("ALTER TABLE orders ADD COLUMN note text;"), "pg-missing-lock-timeout").severity())
        .isEqualTo(RiskLevel.LOW.word());
    assertThat(postgres("SET lock_timeout TO '5s';\nALTER TABLE orders ADD COLUMN note text;").findings()).isEmpty();
    assertThat(postgres("SET LOCAL lock_timeout = '2s';\nALTER TABLE orders ADD COLUMN note text;").findings()).isEmpty();
    assertThat(standing(postgres("SET lock_timeout = 0;\nALTER TABLE orders ADD COLUMN note text;")))
        .containsExactly("pg-missing-lock-timeout");
    assertThat(standing(postgres("ALTER TABLE orders ADD COLUMN note text;\nSET lock_timeout = '5s';")))
        .containsExactly("pg-missing-lock-timeout");
  }

  @Test
  void tablesTheScriptsCreateTakeNoLockAnyoneWaitsFor() {
    var create = new Script("V3__create.sql", "CREATE TABLE notes (id bigint, body text);", Optional.empty());
    var change = new Script("V4__change.sql", "CREATE INDEX notes_body ON notes (body);\n"
        + "ALTER TABLE notes ADD PRIMARY KEY (id), ALTER COLUMN body SET NOT NULL, ALTER COLUMN body TYPE varchar(200);\n"
        + "ALTER TABLE notes ADD COLUMN token uuid DEFAULT gen_random_uuid();", Optional.empty());
    assertThat(ScriptReview.review(Dialect.POSTGRESQL, List.of(create, change), Map.of()).findings()).isEmpty();
  }

  @Test
  void eachRuleCanBeSuppressedWithAReason() {
    var review = postgres("-- migration-gate:allow pg-index-without-concurrently orders has 200 rows\n"
        + "-- migration-gate:allow pg-missing-lock-timeout nothing else writes to orders during the release\n"
        + "CREATE INDEX orders_status ON orders (status);");
    assertThat(standing(review)).isEmpty();
    assertThat(review.level()).isEqualTo(RiskLevel.NONE);
    assertThat(only(review, "pg-index-without-concurrently").suppressed()).isEqualTo("orders has 200 rows");
  }

  @Test
  void aCreateTableAlone() {
    assertThat(postgres("CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL);").findings()).isEmpty();
  }
}
