package io.migrationgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.contract.RunReport.RiskFinding;
import io.migrationgate.runner.DataAnswer.Verdict;
import org.junit.jupiter.api.Test;

class DataAnswerTest {

  @Test
  void rowEstimatesKeepAtMostThreeDigits() {
    assertThat(DataAnswer.rows(0)).isEqualTo("0");
    assertThat(DataAnswer.rows(9_999)).isEqualTo("9999");
    assertThat(DataAnswer.rows(41_234)).isEqualTo("41 k");
    assertThat(DataAnswer.rows(4_100_000)).isEqualTo("4.1 M");
    assertThat(DataAnswer.rows(41_000_000)).isEqualTo("41 M");
    assertThat(DataAnswer.rows(1_200_000_000L)).isEqualTo("1.2 G");
  }

  @Test
  void bytesAreSaidInBinaryUnits() {
    assertThat(DataAnswer.bytes(512)).isEqualTo("512 B");
    assertThat(DataAnswer.bytes(8192)).isEqualTo("8.0 KiB");
    assertThat(DataAnswer.bytes(9L * 1024 * 1024 * 1024)).isEqualTo("9.0 GiB");
  }

  @Test
  void aSizeSaysWhenTheCatalogNeverCountedTheRows() {
    assertThat(DataAnswer.size("orders", 41_000_000L, 9L << 30))
        .isEqualTo(new DataAnswer(Verdict.SIZE, "orders holds ~41 M rows, 9.0 GiB"));
    assertThat(DataAnswer.size("orders", -1L, 8192L).text()).isEqualTo("orders holds 8.0 KiB (no row estimate yet: never analysed)");
  }

  @Test
  void aCountDecidesBetweenPassingAndFailing() {
    DataAnswer fails = DataAnswer.decided(312, DataAnswer.count(312, "duplicate value", "duplicate values")
        + " of (email) in users", "no duplicate values of (email) in users", null, false, null);
    assertThat(fails).isEqualTo(new DataAnswer(Verdict.FAILS, "will fail: 312 duplicate values of (email) in users"));
    assertThat(RiskFinding.willFail("fails if ...; " + fails.text())).isTrue();
    assertThat(DataAnswer.decided(0, "-", "no duplicate values of (email) in users", null, false, null))
        .isEqualTo(new DataAnswer(Verdict.PASSES, "checked: no duplicate values of (email) in users"));
  }

  @Test
  void rowsChangedByAnEarlierStatementLeaveItUndecidedEitherWay() {
    assertThat(DataAnswer.decided(1, "1 row of users with email NULL", "no row of users has email NULL",
        "V3__fill.sql:2", false, null)).isEqualTo(new DataAnswer(Verdict.UNDECIDED,
            "not decided: 1 row of users with email NULL now, but V3__fill.sql:2 changes those rows first"));
    assertThat(DataAnswer.decided(0, "-", "no row of users has email NULL", "V3__fill.sql:2", false, null).verdict())
        .isEqualTo(Verdict.UNDECIDED);
  }

  @Test
  void outsideStrictModeTheServerChangesValuesInsteadOfFailing() {
    DataAnswer cut = DataAnswer.decided(2, "2 values of users.code do not fit varchar(3)", "-", null, true,
        "which the server cuts to fit");
    assertThat(cut).isEqualTo(new DataAnswer(Verdict.CHANGES_DATA,
        "will change data: 2 values of users.code do not fit varchar(3), which the server cuts to fit (sql_mode is not strict)"));
    assertThat(cut.verdict().stopsTheRun()).isTrue();
    assertThat(Verdict.UNDECIDED.stopsTheRun()).isFalse();
  }

  @Test
  void whatWasNotCheckedSaysWhy() {
    assertThat(DataAnswer.created("users.login").text())
        .isEqualTo("not checked: users.login does not exist yet (created by this migration)");
    assertThat(DataAnswer.timedOut(10).text()).isEqualTo("not decided within 10 s: review by hand");
  }

  @Test
  void theProgressLineCountsTheAnswersByWhatTheySaid() {
    PlanReview.Checked checked = new PlanReview.Checked(null, java.util.List.of(new DataAnswer(Verdict.SIZE, "a"),
        new DataAnswer(Verdict.FAILS, "b"), new DataAnswer(Verdict.PASSES, "c"), new DataAnswer(Verdict.FAILS, "d")));

    assertThat(PlanReview.describeChecks(checked, 41)).isEqualTo("data checks: 4 asked in 41 ms: 1 passed, 2 will fail, 1 sizes");
  }
}
