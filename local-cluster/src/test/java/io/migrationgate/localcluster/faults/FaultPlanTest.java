package io.migrationgate.localcluster.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migrationgate.localcluster.faults.FaultPlan.Aim;
import io.migrationgate.localcluster.faults.FaultPlan.PlannedRequest;
import io.migrationgate.localcluster.faults.FaultPlan.Role;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

  @Test
  void theSameSeedGivesTheSamePlanAndAnotherSeedAnotherOne() {
    assertThat(FaultPlan.generate(42, 200, 20)).isEqualTo(FaultPlan.generate(42, 200, 20));
    assertThat(FaultPlan.generate(43, 200, 20)).isNotEqualTo(FaultPlan.generate(42, 200, 20));
  }

  @Test
  void theShortRunGetsEveryKindAndTheLongRunManyOfEach() {
    assertThat(FaultPlan.generate(7, 20, 5).counts()).containsOnlyKeys(FaultKind.values());
    assertThat(FaultPlan.generate(7, 20, 5).counts().get(FaultKind.LEADER_KILL)).isEqualTo(3);
    assertThat(FaultPlan.generate(7, 200, 20).counts()).allSatisfy((kind, count) -> assertThat(count).isGreaterThan(2));
  }

  @Test
  void leaderKillsAimAtEachLaunchWindowInTurn() {
    assertThat(FaultPlan.generate(1, 200, 20).waves().stream().flatMap(w -> w.faults().stream())
        .filter(f -> f.kind() == FaultKind.LEADER_KILL).map(FaultPlan.ProcessFault::aim).distinct())
        .containsExactlyInAnyOrderElementsOf(FaultPlan.WAVE_AIMS);
    assertThat(FaultPlan.generate(1, 20, 5).planning().stream()
        .filter(f -> f.kind() == FaultKind.PLAN_LEADER_KILL).map(FaultPlan.ProcessFault::aim))
        .containsExactlyInAnyOrder(Aim.PLAN_MARKER_WINDOW, Aim.PLAN_UID_WINDOW);
  }

  @Test
  void planTimeFaultsStrikeWhileRequestsArePlannedAndTheOthersInTheWaves() {
    FaultPlan plan = FaultPlan.generate(11, 200, 20);
    assertThat(plan.planning()).extracting(FaultPlan.ProcessFault::kind)
        .containsOnly(FaultKind.PLAN_LEADER_KILL, FaultKind.DATABASE_RESTART);
    assertThat(plan.waves().stream().flatMap(w -> w.faults().stream()))
        .noneMatch(f -> f.kind().planning());
    assertThat(plan.planning().get(0).aim()).as("aimed kills first, while plan launches are in flight")
        .isNotEqualTo(Aim.ANY_MOMENT);
    assertThat(plan.requests().stream().filter(r -> r.role() == Role.PLAN_POD_DELETE)).hasSize(5);
  }

  @Test
  void aRevokedRequestQueuesBehindABlockerOfItsWaveOnTheSameDatabase() {
    for (long seed = 0; seed < 50; seed++) {
      FaultPlan plan = FaultPlan.generate(seed, 20, 5);
      for (PlannedRequest r : plan.requests()) {
        if (r.approvedLate()) {
          PlannedRequest blocker = plan.requests().get(r.blocker());
          assertThat(blocker.role()).isEqualTo(Role.BLOCKER);
          assertThat(blocker.wave()).isEqualTo(r.wave());
          assertThat(blocker.database()).isEqualTo(r.database());
          assertThat(blocker.sleepSeconds()).isEqualTo(FaultPlan.BLOCKER_SLEEP_SECONDS);
        }
      }
    }
  }

  @Test
  void aNamespaceRelabelledToProductionHoldsOnlyItsTarget() {
    FaultPlan plan = FaultPlan.generate(3, 200, 20);
    plan.requests().stream().filter(r -> r.role() == Role.NAMESPACE_PRODUCTION).forEach(target ->
        assertThat(plan.requests().stream().filter(r -> r.namespace().equals(target.namespace())))
            .containsExactly(target));
  }

  @Test
  void databasesAreSharedSoTheQueueIsExercised() {
    FaultPlan plan = FaultPlan.generate(5, 20, 5);
    assertThat(plan.requests().stream().map(PlannedRequest::database).distinct().count()).isLessThan(10);
    assertThat(Arrays.stream(new int[] {0, 1, 2, 3}).mapToObj(w -> plan.waves().get(w).requests().size()))
        .containsOnly(5);
  }

  @Test
  void tooSmallARunIsRefused() {
    assertThatThrownBy(() -> FaultPlan.generate(1, 5, 5)).hasMessageContaining("10 requests");
  }
}
