package io.migrationgate.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SingleStatementTest {

  private static final Pattern OBVIOUS = Pattern.compile(SingleStatement.OBVIOUSLY_SEVERAL);

  @ParameterizedTest
  @ValueSource(strings = {
      "select 1",
      "select 1;",
      "select 1 ; \n",
      "select 1;;",
      "; select 1",
      "select ';' from t",
      "select 'it''s; fine'",
      "select \"odd;name\" from t",
      "select $$a; b$$",
      "select $body$ ; $$ ; $body$",
      "select 1 -- trailing; comment",
      "select 1; -- done",
      "select /* a; /* nested; */ still; */ 1",
      "select count(*) from information_schema.columns where table_name = 'orders'",
      "select a$b$c from t",
      "select $1"})
  void oneStatementPasses(String sql) {
    assertThat(SingleStatement.problem(sql)).as(sql).isEmpty();
    assertThat(OBVIOUS.matcher(sql).find()).as("the CRD refuses only what the scan refuses: " + sql).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "commit; delete from t; select 1",
      "rollback; delete from t; select 1",
      "end; delete from t; select 1",
      "set transaction read write; delete from t; select 1",
      "select 1; select 2",
      "select 1;\ndelete from t",
      "select ';'; delete from t",
      "select $$;$$; delete from t",
      "select $$'$$; delete from t; select $$'$$",
      "select 1 /* ; */; delete from t",
      "select 1 -- x\n; delete from t",
      "select 1 # mysql comment; delete from t",
      "select 1;\u000bdelete from t"})
  void severalStatementsAreRefused(String sql) {
    assertThat(SingleStatement.problem(sql)).as(sql).get().asString().contains("statements; a verify query");
  }

  @ParameterizedTest
  @ValueSource(strings = {"commit; delete from t; select 1", "select 1;\ndelete from t", "select 1; $$x$$",
      "select 1;\u000bdelete from t"})
  void theCrdRuleCatchesTheObviousCases(String sql) {
    assertThat(OBVIOUS.matcher(sql).find()).as(sql).isTrue();
    assertThat(SingleStatement.problem(sql)).as(sql).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"select 'a\\'; delete from t; select '", "select \"a\\\" from t", "select E'\\''"})
  void aBackslashInsideQuotesIsRefusedBecauseDialectsDisagree(String sql) {
    assertThat(SingleStatement.problem(sql)).get().asString().contains("backslash inside quotes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"select 'open", "select \"open", "select $x$ open", "select /* open"})
  void unterminatedQuotesAndCommentsAreRefused(String sql) {
    assertThat(SingleStatement.problem(sql)).get().asString().contains("unterminated");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "-- only a comment", ";"})
  void noStatementIsRefused(String sql) {
    assertThat(SingleStatement.problem(sql)).contains(
        "holds 0 statements; a verify query must be exactly one statement (a trailing ';' is allowed)");
  }
}
