package io.migrationgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.PlannedState;
import io.migrationgate.contract.RiskLevel;
import io.migrationgate.contract.RunReport.HistoryEntry;
import io.migrationgate.contract.RunReport.RiskFinding;
import io.migrationgate.runner.DataAnswer.Verdict;
import io.migrationgate.runner.review.DataQuestion;
import io.migrationgate.runner.review.ScriptReview.DataCheck;
import io.migrationgate.runner.review.ScriptReview.Review;
import java.util.List;
import org.junit.jupiter.api.Test;

class StalePlanTest {

  private static final HistoryEntry V1 = new HistoryEntry("1", "init", "V1__init.sql", 11, true);
  private static final HistoryEntry V2 = new HistoryEntry("2", "status", "V2__status.sql", 22, true);
  private static final HistoryEntry V3 = new HistoryEntry("3", "total", "V3__total.sql", 33, true);
  private static final HistoryEntry V4_FAILED = new HistoryEntry("4", "index", "V4__index.sql", 44, false);

  private static final PlannedState PLANNED_AT_2 = PlannedState.of("2", List.of(V1, V2));

  @Test
  void rowsAppendedAfterThePlannedHistoryAreNamedAsAppliedOrFailedSince() {
    assertThat(StalePlan.whatChanged(PLANNED_AT_2, List.of(V1, V2, V3, V4_FAILED)))
        .isEqualTo("newly applied: V3__total.sql; failed since: V4__index.sql");
  }

  @Test
  void aPlanOnAnEmptyHistoryTakesEveryRowAsNew() {
    assertThat(StalePlan.whatChanged(PlannedState.of(null, List.of()), List.of(V1)))
        .isEqualTo("newly applied: V1__init.sql");
  }

  @Test
  void anEditedOrDeletedPlannedRowIsAChangeOfTheRecordedHistory() {
    HistoryEntry repaired = new HistoryEntry("2", "status", "V2__status.sql", 99, true);

    assertThat(StalePlan.whatChanged(PLANNED_AT_2, List.of(V1, repaired, V3)))
        .startsWith("changed: the history recorded at planning time was edited, repaired or deleted from")
        .endsWith("(3 rows now)");
    assertThat(StalePlan.whatChanged(PLANNED_AT_2, List.of(V1)))
        .startsWith("changed: the history recorded at planning time").endsWith("(1 row now)");
  }

  private static PlanReview.Checked checked(String suppressed, DataAnswer... answers) {
    RiskFinding finding = new RiskFinding("data-unique", "low", "V3__unique.sql", 2, "fails if ...", "dedupe first",
        suppressed);
    DataQuestion question = new DataQuestion.Duplicates(new DataQuestion.Name(null, "users"), List.of("email"));
    List<DataCheck> checks = java.util.Arrays.stream(answers).map(a -> new DataCheck(0, question, null)).toList();
    return new PlanReview.Checked(new Review(List.of(finding), RiskLevel.LOW, "sha256:x", checks), List.of(answers));
  }

  @Test
  void aDataCheckThatFailsAtLaunchStopsTheRunNamingTheFinding() {
    RunnerFailure failure = org.junit.jupiter.api.Assertions.assertThrows(RunnerFailure.class, () ->
        StalePlan.requireDataChecksPass(checked(null, new DataAnswer(Verdict.PASSES, "checked: fine"),
            new DataAnswer(Verdict.FAILS, "will fail: 1 duplicate value of (email) in users"))));

    assertThat(failure.outcome()).isEqualTo(Outcome.DATA_CHECK_FAILED);
    assertThat(failure.getMessage()).isEqualTo("the data no longer allows the approved change: data-unique "
        + "V3__unique.sql:2: will fail: 1 duplicate value of (email) in users; nothing was applied: fix the data "
        + "(or the script), then make a fresh plan and approve it");
  }

  @Test
  void passingUndecidedAndAllowedChecksLetTheRunGoOn() throws RunnerFailure {
    StalePlan.requireDataChecksPass(checked(null, new DataAnswer(Verdict.PASSES, "checked: fine"),
        new DataAnswer(Verdict.UNDECIDED, "not decided within 10 s: review by hand"),
        new DataAnswer(Verdict.SIZE, "users holds ~3 rows, 16.0 KiB")));
    StalePlan.requireDataChecksPass(checked("the copy keeps the first of each", new DataAnswer(Verdict.CHANGES_DATA,
        "will change data: ...")));
  }
}
