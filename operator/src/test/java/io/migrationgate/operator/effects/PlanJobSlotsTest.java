package io.migrationgate.operator.effects;

import io.migrationgate.operator.Requests;
import io.migrationgate.operator.lifecycle.RequestLifecycle;
import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.migrationgate.api.v1alpha1.DatabaseCheck;
import io.migrationgate.api.v1alpha1.EvidenceStatus;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.api.v1alpha1.PlanStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The plan Job line: limits per database and in all, fairness across namespaces, claims and wake-ups. */
class PlanJobSlotsTest {

  private static final String DB_A = "jdbc:postgresql://a-db:5432/a";
  private static final String DB_B = "jdbc:postgresql://b-db:5432/b";
  private static final String DB_C = "jdbc:postgresql://c-db:5432/c";

  private static int created;

  /** A request whose plan needs a Job, created after every one made before it. */
  private static MigrationRequest waiting(String namespace, String name, String url) {
    MigrationRequest r = Requests.request(namespace, name, url);
    r.getMetadata().setCreationTimestamp(String.format("2026-12-07T10:%02d:%02dZ", created / 60, created % 60));
    created++;
    r.setStatus(new MigrationRequestStatus());
    r.getStatus().phase = Phase.Pending;
    r.getStatus().plan = new PlanStatus();
    r.getStatus().plan.check = new DatabaseCheck();
    r.getStatus().plan.check.mode = DatabaseCheck.DATABASE;
    return r;
  }

  /** A request whose plan Job runs: its launch marker is written, its report not yet kept. */
  private static MigrationRequest running(String namespace, String name, String url) {
    MigrationRequest r = waiting(namespace, name, url);
    r.getStatus().plan.check.job = name + "-check-1";
    r.getStatus().plan.check.launchToken = "t";
    return r;
  }

  private static MigrationRequest reportKept(MigrationRequest r) {
    MigrationRequest copy = Requests.request(r.getMetadata().getNamespace(), r.getMetadata().getName(), r.getSpec().database.url);
    copy.setStatus(RequestLifecycle.copyOf(r.getStatus()));
    copy.getStatus().plan.check.evidence = new EvidenceStatus();
    copy.getStatus().plan.check.evidence.configMap = "evidence";
    return copy;
  }

  @Test
  void oneDatabaseRunsOnePlanJobWhileOthersGoOn() {
    PlanJobSlots slots = new PlanJobSlots(1, 4);
    MigrationRequest onA = running("shop", "first", DB_A);
    MigrationRequest alsoA = waiting("shop", "second", DB_A);
    MigrationRequest onB = waiting("shop", "third", DB_B);
    List<MigrationRequest> all = List.of(onA, alsoA, onB);

    assertThat(slots.waitReason(alsoA, all)).hasValueSatisfying(why -> assertThat(why)
        .contains("1 of 2 in line", "on this database: 1 (at most 1)", "in the cluster: 1 (at most 4)"));
    assertThat(slots.waitReason(onB, all)).as("a full database does not hold back another").isEmpty();
  }

  @Test
  void theClusterWideLimitHoldsAcrossDatabases() {
    PlanJobSlots slots = new PlanJobSlots(1, 2);
    List<MigrationRequest> all = new ArrayList<>(List.of(running("shop", "a", DB_A), running("shop", "b", DB_B)));
    MigrationRequest onC = waiting("shop", "c", DB_C);
    all.add(onC);

    assertThat(slots.waitReason(onC, all)).hasValueSatisfying(why -> assertThat(why).contains("in the cluster: 2 (at most 2)"));
  }

  @Test
  void oneTeamsBurstDoesNotStarveAnotherTeamsSingleRequest() {
    PlanJobSlots slots = new PlanJobSlots(2, 2);
    List<MigrationRequest> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(waiting("team-a", "burst-" + i, i % 2 == 0 ? DB_A : DB_B));
    }
    MigrationRequest single = waiting("team-b", "single", DB_C);
    all.add(single);

    assertThat(slots.waitReason(single, all)).as("second in line, behind team-a's oldest only").isEmpty();
    assertThat(slots.waitReason(all.get(0), all)).isEmpty();
    assertThat(slots.waitReason(all.get(1), all)).hasValueSatisfying(why -> assertThat(why).contains("3 of 21 in line"));
  }

  @Test
  void theLastSlotIsTakenOnceEvenBeforeTheCacheShowsTheMarker() {
    PlanJobSlots slots = new PlanJobSlots(1, 4);
    MigrationRequest first = waiting("shop", "first", DB_A);
    MigrationRequest second = waiting("shop", "second", DB_A);
    List<MigrationRequest> cache = List.of(first, second);
    AtomicInteger writes = new AtomicInteger();

    Optional<MigrationRequest> taken = slots.take(first, cache, () -> {
      writes.incrementAndGet();
      return running("shop", "first", DB_A);
    });
    // The cache still shows first as waiting: the claim is what stops second.
    Optional<MigrationRequest> refused = slots.take(second, cache, () -> {
      writes.incrementAndGet();
      return running("shop", "second", DB_A);
    });

    assertThat(taken).isPresent();
    assertThat(refused).isEmpty();
    assertThat(writes).as("no marker written without a slot").hasValue(1);
  }

  @Test
  void aFreedSlotWakesWhoeverMayStartNow() {
    PlanJobSlots slots = new PlanJobSlots(1, 4);
    MigrationRequest holder = running("shop", "holder", DB_A);
    MigrationRequest next = waiting("shop", "next", DB_A);
    MigrationRequest after = waiting("shop", "after", DB_A);
    MigrationRequest done = reportKept(holder);

    List<ResourceID> woken = slots.settled(holder, done, List.of(done, next, after));

    assertThat(woken).containsExactly(ResourceID.fromResource(next));
    assertThat(slots.settled(done, done, List.of(done, next, after))).as("nothing freed twice").isEmpty();
  }

  @Test
  void aDeletedRequestFreesItsSlot() {
    PlanJobSlots slots = new PlanJobSlots(1, 4);
    MigrationRequest holder = running("shop", "holder", DB_A);
    MigrationRequest next = waiting("shop", "next", DB_A);

    assertThat(slots.forget(holder, List.of(next))).containsExactly(ResourceID.fromResource(next));
  }
}
