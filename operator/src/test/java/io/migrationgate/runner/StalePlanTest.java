package io.migrationgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.contract.PlannedState;
import io.migrationgate.contract.RunReport.HistoryEntry;
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
}
