package io.migrationgate.runner.review;

import static io.migrationgate.runner.review.Reviews.only;
import static io.migrationgate.runner.review.Reviews.postgres;
import static io.migrationgate.runner.review.Reviews.standing;
import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.contract.RiskLevel;
import io.migrationgate.contract.RunReport.RiskFinding;
import io.migrationgate.runner.review.ScriptReview.Script;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScriptReviewTest {

  @Test
  void findingsNameTheScriptAndTheLineOfTheStatementsFirstWord() {
    var review = postgres("-- V2: tidy up orders\n"
        + "SET lock_timeout = '5s';\n"
        + "\n"
        + "/* the status column moved to order_states */\n"
        + "ALTER TABLE orders\n"
        + "  DROP COLUMN status;\n"
        + "INSERT INTO audit (note) VALUES ('a;b'), ($$c;\nd$$);\n"
        + "DELETE FROM\n"
        + "  orders;");
    assertThat(review.findings()).extracting(RiskFinding::script).containsOnly(Reviews.V2);
    assertThat(only(review, "drop-column").line()).isEqualTo(5);
    assertThat(only(review, "delete-without-where").line()).isEqualTo(9);
    assertThat(only(review, "drop-column").saferAlternative()).isEqualTo(Rule.DROP_COLUMN.saferAlternative());
    assertThat(only(review, "drop-column").severity()).isEqualTo("destructive");
  }

  @Test
  void theLevelIsTheHighestStandingSeverity() {
    assertThat(postgres("SELECT 1;").level()).isEqualTo(RiskLevel.NONE);
    assertThat(postgres("ALTER TABLE orders ADD COLUMN note text;").level()).isEqualTo(RiskLevel.LOW);
    assertThat(postgres("SET lock_timeout = '5s';\nCREATE INDEX i ON orders (c);").level()).isEqualTo(RiskLevel.HIGH);
    assertThat(postgres("DELETE FROM orders;").level()).isEqualTo(RiskLevel.DESTRUCTIVE);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "DO $$ BEGIN DELETE FROM orders; END $$;",
      "CREATE TYPE mood AS ENUM ('sad', 'ok');",
      "CREATE EXTENSION IF NOT EXISTS pgcrypto;",
      "LOCK TABLE orders IN ACCESS EXCLUSIVE MODE;",
      "CREATE TABLE orders_copy (LIKE orders INCLUDING ALL);",
      "ALTER INDEX orders_status RENAME TO orders_state;",
      "CREATE TRIGGER audit BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit();"})
  void whatJsqlparserCannotReadIsNotAnalysedNeverPassed(String statement) {
    var review = postgres(statement);
    RiskFinding finding = only(review, "not-analysed");
    assertThat(finding.message()).startsWith("not analysed: JSqlParser").endsWith("review it by hand");
    assertThat(finding.severity()).isEqualTo("high");
    assertThat(review.level()).isGreaterThanOrEqualTo(RiskLevel.HIGH);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "ALTER ONLINE TABLE orders ADD COLUMN note text;",
      "ALTER TABLE orders ADD COLUMN note text INVISIBLE;",
      "ALTER TABLE orders MODIFY COLUMN IF EXISTS note bigint;",
      "ALTER TABLE orders ALTER INDEX orders_status IGNORED;",
      "ALTER TABLE orders PARTITION BY HASH(id) PARTITIONS 4;"})
  void mariadbAlterOptionsJsqlparserCannotReadAreNotAnalysed(String statement) {
    assertThat(standing(Reviews.mariadb(statement))).contains("not-analysed");
  }

  @Test
  void functionAndProcedureBodiesAreNotAnalysed() {
    var review = postgres("CREATE OR REPLACE FUNCTION purge() RETURNS void AS $$\nBEGIN\n  DELETE FROM orders;\nEND;\n"
        + "$$ LANGUAGE plpgsql;");
    assertThat(only(review, "not-analysed").message())
        .isEqualTo("not analysed: the body of function purge is not parsed; review it by hand");
    assertThat(standing(Reviews.mariadb("DELIMITER //\nCREATE PROCEDURE purge()\nBEGIN\n  DELETE FROM orders;\nEND //\n"
        + "DELIMITER ;\n"))).containsExactly("not-analysed");
  }

  @Test
  void aDestructiveStatementTheParserCannotReadIsStillDestructive() {
    var review = postgres("TRUNCATE orders RESTART IDENTITY;");
    assertThat(standing(review)).contains("truncate", "not-analysed");
    assertThat(review.level()).isEqualTo(RiskLevel.DESTRUCTIVE);
  }

  @Test
  void aScriptFlywayCannotReadIsNotAnalysed() {
    // Flyway replaces placeholders as it reads, so a missing one stops it before the first statement
    var review = postgres("SELECT 1;\nSELECT '${no_such_placeholder}';\nDROP TABLE orders;");
    RiskFinding finding = only(review, "not-analysed");
    assertThat(finding.line()).isEqualTo(1);
    assertThat(finding.message()).contains("No value provided for placeholder: ${no_such_placeholder}");
    assertThat(review.level()).isEqualTo(RiskLevel.HIGH);
  }

  @Test
  void aScriptFlywayStopsReadingMidwayKeepsWhatCameBefore() {
    var review = postgres("DELETE FROM orders;\nSELECT 'unterminated;\n");
    assertThat(standing(review)).containsExactly("delete-without-where", "not-analysed");
  }

  @Test
  void placeholdersAreReplacedAsTheRunWillReplaceThem() {
    var script = new Script(Reviews.V2, "DROP TABLE ${old_table};\nSELECT * FROM ${flyway:defaultSchema}.orders;", Optional.empty());
    var review = ScriptReview.review(Dialect.POSTGRESQL, List.of(script), Map.of("old_table", "audit_2019"));
    assertThat(only(review, "drop-table").message()).isEqualTo("drops table audit_2019 and every row in it");
    assertThat(Reviews.rules(review)).doesNotContain("not-analysed");
  }

  @Test
  void aSuppressionCoversTheStatementItIsWrittenOnOrJustAbove() {
    var review = postgres("SET lock_timeout = '5s';\n"
        + "DROP TABLE a; -- migration-gate:allow drop-table emptied by V3\n"
        + "DROP TABLE b;\n"
        + "-- migration-gate:allow drop-table archived to cold storage\n"
        + "DROP TABLE c;");
    assertThat(review.findings()).extracting(RiskFinding::line, RiskFinding::suppressed)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2, "emptied by V3"), org.assertj.core.groups.Tuple.tuple(3, null),
            org.assertj.core.groups.Tuple.tuple(5, "archived to cold storage"));
  }

  @Test
  void aSuppressionWithoutAKnownRuleOrAReasonAllowsNothingAndSaysSo() {
    var review = postgres("SET lock_timeout = '5s';\n"
        + "-- migration-gate:allow drop-tables typo\n"
        + "-- migration-gate:allow drop-table\n"
        + "-- migration-gate:allow\n"
        + "DROP TABLE a;");
    assertThat(standing(review)).containsExactly("drop-table", "suppression-invalid", "suppression-invalid",
        "suppression-invalid");
    assertThat(review.findings()).extracting(RiskFinding::message).contains(
        "the migration-gate:allow comment names drop-tables, which is no rule of the review, so it allows nothing",
        "the migration-gate:allow comment gives no reason for allowing drop-table, so it allows nothing",
        "the migration-gate:allow comment names no rule, so it allows nothing");
  }

  @Test
  void textThatOnlyLooksLikeASuppressionInsideALiteralAllowsNothing() {
    var review = postgres("SET lock_timeout = '5s';\n"
        + "INSERT INTO notes (body) VALUES ('-- migration-gate:allow drop-table in a string'), ($$\n"
        + "-- migration-gate:allow drop-table in a dollar quote\n$$);\nDROP TABLE a;");
    assertThat(standing(review)).containsExactly("drop-table");
  }

  @Test
  void aSuppressionAfterTheLastStatementBelongsToNone() {
    var review = postgres("SELECT 1;\n-- migration-gate:allow drop-table nothing to drop\n");
    assertThat(only(review, "suppression-invalid").message()).contains("after the script's last statement");
  }

  @Test
  void aSuppressionOfAFindingTheStatementDoesNotHaveIsReported() {
    var review = postgres("-- migration-gate:allow drop-table not needed\nSELECT 1;");
    assertThat(only(review, "suppression-invalid").message())
        .isEqualTo("the migration-gate:allow comment allows drop-table, but the statement it belongs to (line 2) has no such finding");
  }

  @Test
  void suppressingNotAnalysedRecordsTheHandReview() {
    var review = postgres("-- migration-gate:allow not-analysed creates an enum type, nothing else\n"
        + "CREATE TYPE mood AS ENUM ('sad', 'ok');");
    assertThat(review.level()).isEqualTo(RiskLevel.NONE);
    assertThat(only(review, "not-analysed").suppressed()).isEqualTo("creates an enum type, nothing else");
  }

  @Test
  void theDigestCoversEveryFindingAndItsSuppression() {
    String drop = "DROP TABLE a;";
    String allowed = "DROP TABLE a; -- migration-gate:allow drop-table emptied by V3";
    String otherReason = "DROP TABLE a; -- migration-gate:allow drop-table archived";
    assertThat(postgres(drop).digest()).isEqualTo(postgres(drop).digest()).startsWith("sha256:");
    assertThat(postgres(allowed).digest()).isNotEqualTo(postgres(drop).digest());
    assertThat(postgres(allowed).digest()).isNotEqualTo(postgres(otherReason).digest());
    assertThat(postgres("SELECT 1;").digest()).isEqualTo(ScriptReview.digest(List.of()));
  }

  @Test
  void scriptsAreReviewedInTheOrderGiven() {
    var review = ScriptReview.review(Dialect.POSTGRESQL, List.of(
        new Script("V3__a.sql", "DELETE FROM orders;", Optional.empty()),
        new Script("V4__b.sql", "SELECT 1;\nUPDATE orders SET a = 1;", Optional.empty())), Map.of());
    assertThat(review.findings()).extracting(RiskFinding::script, RiskFinding::line, RiskFinding::rule).containsExactly(
        org.assertj.core.groups.Tuple.tuple("V3__a.sql", 1, "delete-without-where"),
        org.assertj.core.groups.Tuple.tuple("V4__b.sql", 2, "update-without-where"));
  }
}
