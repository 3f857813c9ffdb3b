package io.migrationgate.operator.effects;

import static io.migrationgate.operator.Requests.runningPlanJob;
import static io.migrationgate.operator.Requests.waitingForPlanJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.migrationgate.api.v1alpha1.EvidenceStatus;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.operator.Requests;
import io.migrationgate.operator.lifecycle.RequestLifecycle;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator's hold on plan Job slots: one claim per slot, and the wake-ups when one frees. */
class PlanJobSlotsTest {

  private static final String DB_A = "jdbc:postgresql://a-db:5432/a";

  private static MigrationRequest reportKept(MigrationRequest r) {
    MigrationRequest copy = Requests.request(r.getMetadata().getNamespace(), r.getMetadata().getName(), r.getSpec().database.url);
    copy.setStatus(RequestLifecycle.copyOf(r.getStatus()));
    copy.getStatus().plan.check.evidence = new EvidenceStatus();
    copy.getStatus().plan.check.evidence.configMap = "evidence";
    return copy;
  }

  @Test
  void theLastSlotIsTakenOnceEvenBeforeTheCacheShowsTheMarker() {
    PlanJobSlots slots = new PlanJobSlots(1, 4);
    MigrationRequest first = waitingForPlanJob("shop", "first", DB_A);
    MigrationRequest second = waitingForPlanJob("shop", "second", DB_A);
    List<MigrationRequest> cache = List.of(first, second);

    try (PlanJobSlots.Claim claim = slots.claim(first, cache)) {
      assertThat(claim.mayStart()).isTrue();
      claim.hold(runningPlanJob("shop", "first", DB_A));
    }
    // The cache still shows first as waiting: the claim is what stops second.
    try (PlanJobSlots.Claim claim = slots.claim(second, cache)) {
      assertThat(claim.mayStart()).as("no marker written without a slot").isFalse();
    }
  }

  @Test
  void aFreedSlotWakesWhoeverMayStartNow() {
    PlanJobSlots slots = new PlanJobSlots(1, 4);
    MigrationRequest holder = runningPlanJob("shop", "holder", DB_A);
    MigrationRequest next = waitingForPlanJob("shop", "next", DB_A);
    MigrationRequest after = waitingForPlanJob("shop", "after", DB_A);
    MigrationRequest done = reportKept(holder);

    List<ResourceID> woken = slots.settled(holder, done, List.of(done, next, after));

    assertThat(woken).containsExactly(ResourceID.fromResource(next));
    assertThat(slots.settled(done, done, List.of(done, next, after))).as("nothing freed twice").isEmpty();
  }

  @Test
  void aDeletedRequestFreesItsSlot() {
    PlanJobSlots slots = new PlanJobSlots(1, 4);
    MigrationRequest holder = runningPlanJob("shop", "holder", DB_A);
    MigrationRequest next = waitingForPlanJob("shop", "next", DB_A);

    assertThat(slots.forget(holder, List.of(next))).containsExactly(ResourceID.fromResource(next));
  }
}
