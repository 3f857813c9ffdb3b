package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.api.v1alpha1.ApprovalStatus;
import io.migrationgate.api.v1alpha1.JobStatus;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.api.v1alpha1.QueueStatus;
import io.migrationgate.operator.Requests;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Whose turn it is on a database, from statuses alone (the operator's claims are in DatabaseClaimsTest). */
class DatabaseQueueTest {

  static MigrationRequest request(String name, String url, Phase phase, String approvedAt, boolean launched) {
    MigrationRequest r = Requests.request("team", name, url);
    r.setStatus(new MigrationRequestStatus());
    r.getStatus().phase = phase;
    if (approvedAt != null) {
      r.getStatus().approval = new ApprovalStatus();
      r.getStatus().approval.recordedAt = approvedAt;
    }
    if (launched) {
      r.getStatus().job = new JobStatus();
      r.getStatus().job.name = name + "-run";
    }
    return r;
  }

  private static Optional<MigrationRequest> ahead(MigrationRequest me, List<MigrationRequest> all) {
    return DatabaseQueue.ahead(me, all, Optional.empty());
  }

  @Test
  void aRunningRequestOnTheSameDatabaseIsAhead() {
    MigrationRequest running = request("a", "jdbc:postgresql://db/orders", Phase.Running, "2026-11-25T10:00:00Z", true);
    MigrationRequest me = request("b", "jdbc:postgresql://DB:5432/orders", Phase.Queued, "2026-11-25T10:01:00Z", false);
    assertThat(ahead(me, List.of(running, me))).contains(running);
  }

  @Test
  void otherDatabasesAndFinishedRequestsAreNotAhead() {
    MigrationRequest other = request("a", "jdbc:postgresql://db/billing", Phase.Running, "2026-11-25T10:00:00Z", true);
    MigrationRequest done = request("c", "jdbc:postgresql://db/orders", Phase.Succeeded, "2026-11-25T09:00:00Z", true);
    MigrationRequest me = request("b", "jdbc:postgresql://db/orders", Phase.Queued, "2026-11-25T10:01:00Z", false);
    assertThat(ahead(me, List.of(other, done, me))).isEmpty();
  }

  @Test
  void requestsOnOneTargetShareOneLineFromEveryNamespaceAndNeverMeetAnInlineSpelling() {
    MigrationRequest running = onTarget("a", "team-a", Phase.Running, true);
    MigrationRequest me = onTarget("b", "team-b", Phase.Queued, false);
    assertThat(ahead(me, List.of(running, me))).contains(running);
    MigrationRequest inline = request("c", Requests.DB_URL, Phase.Running, "2026-11-25T10:00:00Z", true);
    assertThat(ahead(me, List.of(inline, me))).as("the key is the target, not the URL it has").isEmpty();
  }

  private static MigrationRequest onTarget(String name, String namespace, Phase phase, boolean launched) {
    MigrationRequest r = Requests.onTarget(namespace, name, "orders");
    MigrationRequest shaped = request(name, Requests.DB_URL, phase, "2026-11-25T10:00:0" + name.length() + "Z", launched);
    r.setStatus(shaped.getStatus());
    return r;
  }

  /** Both requests agree that {@code first} goes first. */
  private static void assertFirstInLine(MigrationRequest first, MigrationRequest second) {
    assertThat(ahead(second, List.of(first, second))).contains(first);
    assertThat(ahead(first, List.of(first, second))).isEmpty();
  }

  @Test
  void theEarlierApprovedWaitingRequestGoesFirst() {
    assertFirstInLine(request("a", "jdbc:postgresql://db/orders", Phase.Queued, "2026-11-25T10:00:00Z", false),
        request("b", "jdbc:postgresql://db/orders", Phase.Queued, "2026-11-25T10:05:00Z", false));
  }

  @Test
  void approvalsInTheSameSecondAreOrderedOneWayForBoth() {
    assertFirstInLine(request("a", "jdbc:postgresql://db/orders", Phase.Queued, "2026-11-25T10:00:00Z", false),
        request("b", "jdbc:postgresql://db/orders", Phase.Queued, "2026-11-25T10:00:00Z", false));
  }

  @Test
  void aRequestWhoseJobTheApiServerRefusedDoesNotHoldItsPlace() {
    MigrationRequest refused = request("a", "jdbc:postgresql://db/orders", Phase.Queued, "2026-11-25T10:00:00Z", false);
    refused.getStatus().queue = new QueueStatus();
    refused.getStatus().queue.jobRefusedAt = "2026-11-25T10:01:00Z";
    MigrationRequest me = request("b", "jdbc:postgresql://db/orders", Phase.Queued, "2026-11-25T10:05:00Z", false);
    assertThat(ahead(me, List.of(refused, me))).isEmpty();
  }

  @Test
  void theRequestHoldingTheClaimIsAheadBeforeTheCacheShowsItsMarker() {
    MigrationRequest claimant = request("a", "jdbc:postgresql://db/orders", Phase.AwaitingApproval, null, false);
    MigrationRequest me = request("b", "jdbc:postgresql://db/orders", Phase.AwaitingApproval, null, false);
    assertThat(DatabaseQueue.ahead(me, List.of(claimant, me), Optional.of(RequestKey.of(claimant)))).contains(claimant);
    claimant.getStatus().phase = Phase.Succeeded;
    assertThat(DatabaseQueue.ahead(me, List.of(claimant, me), Optional.of(RequestKey.of(claimant))))
        .as("a claim of a request that has ended").isEmpty();
  }

  @Test
  void aWrittenStatusFreesTheDatabaseOnceTheRunIsOverOrTheMarkerWithdrawn() {
    MigrationRequest running = request("a", "jdbc:postgresql://db/orders", Phase.Running, null, true);
    assertThat(DatabaseQueue.frees(running.getStatus())).isFalse();
    running.getStatus().phase = Phase.Succeeded;
    assertThat(DatabaseQueue.frees(running.getStatus())).isTrue();
    MigrationRequest withdrawn = request("b", "jdbc:postgresql://db/orders", Phase.Queued, null, false);
    assertThat(DatabaseQueue.frees(withdrawn.getStatus())).isTrue();
  }

  @Test
  void aRequestWithoutADatabaseUrlInTheCacheDoesNotBreakTheQueue() {
    MigrationRequest broken = request("x", "jdbc:postgresql://db/orders", Phase.Failed, null, false);
    broken.getSpec().database.url = null;
    MigrationRequest me = request("b", "jdbc:postgresql://db/orders", Phase.AwaitingApproval, null, false);
    assertThat(ahead(me, List.of(broken, me))).isEmpty();
  }
}
