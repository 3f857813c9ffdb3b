package io.migrationgate.operator.effects;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.migrationgate.api.v1alpha1.JobStatus;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.operator.Requests;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The operator's hold on a database between writing a launch marker and the cache showing it. */
class DatabaseClaimsTest {

  private final DatabaseClaims claims = new DatabaseClaims();

  private static MigrationRequest request(String name, Phase phase, boolean launched) {
    MigrationRequest r = Requests.request("team", name, "jdbc:postgresql://db/orders");
    r.setStatus(new MigrationRequestStatus());
    r.getStatus().phase = phase;
    if (launched) {
      r.getStatus().job = new JobStatus();
      r.getStatus().job.name = name + "-run";
    }
    return r;
  }

  /** What a launch does under the claim: the marker is written, and the database held for it. */
  private void launch(MigrationRequest r) {
    try (DatabaseClaims.Claim claim = claims.claim(r)) {
      claim.hold(request(r.getMetadata().getName(), Phase.Running, true));
    }
  }

  @Test
  void aHeldClaimKeepsTheDatabaseUntilTheWrittenStatusShowsTheRunOver() {
    // The cache still shows both requests without a launch: only the claim keeps the second out.
    MigrationRequest first = request("a", Phase.AwaitingApproval, false);
    MigrationRequest second = request("b", Phase.AwaitingApproval, false);

    launch(first);

    assertThat(claims.ahead(second, List.of(first, second))).contains(first);
    claims.settled(first, request("a", Phase.Running, true), List.of(first, second));
    assertThat(claims.ahead(second, List.of(first, second))).as("still running").contains(first);
    claims.settled(first, request("a", Phase.Succeeded, true), List.of(first, second));
    assertThat(claims.ahead(second, List.of(first, second))).isEmpty();
  }

  @Test
  void aClaimClosedWithoutALaunchHoldsNothing() {
    MigrationRequest first = request("a", Phase.AwaitingApproval, false);
    MigrationRequest second = request("b", Phase.AwaitingApproval, false);

    claims.claim(first).close();

    assertThat(claims.ahead(second, List.of(first, second))).isEmpty();
  }

  @Test
  void aWithdrawnMarkerOrADeletedRequestFreesTheDatabase() {
    MigrationRequest first = request("a", Phase.AwaitingApproval, false);
    MigrationRequest second = request("b", Phase.AwaitingApproval, false);
    launch(first);
    claims.settled(first, request("a", Phase.Queued, false), List.of(first, second));
    assertThat(claims.ahead(second, List.of(first, second))).as("marker withdrawn").isEmpty();

    launch(first);
    claims.forget(first, List.of(first, second));
    assertThat(claims.ahead(second, List.of(first, second))).as("request deleted").isEmpty();
  }

  @Test
  void aRunThatEndsWakesTheRequestsQueuedOnItsDatabaseOnly() {
    MigrationRequest running = request("a", Phase.Running, true);
    MigrationRequest queued = request("b", Phase.Queued, false);
    MigrationRequest awaiting = request("c", Phase.AwaitingApproval, false);
    MigrationRequest elsewhere = Requests.request("team", "d", "jdbc:postgresql://other-db/orders");
    elsewhere.setStatus(new MigrationRequestStatus());
    elsewhere.getStatus().phase = Phase.Queued;
    List<MigrationRequest> all = List.of(running, queued, awaiting, elsewhere);

    assertThat(claims.settled(running, request("a", Phase.Running, true), all)).as("still running").isEmpty();
    assertThat(claims.settled(running, request("a", Phase.Succeeded, true), all))
        .containsExactly(ResourceID.fromResource(queued));
    MigrationRequest ended = request("a", Phase.Succeeded, true);
    assertThat(claims.settled(ended, ended, all)).as("an ended run looked at again wakes nobody").isEmpty();
  }

  @Test
  void aDeletedRequestWakesTheQueueBehindItUnlessItHadEnded() {
    MigrationRequest first = request("a", Phase.Queued, false);
    MigrationRequest second = request("b", Phase.Queued, false);

    assertThat(claims.forget(first, List.of(first, second))).containsExactly(ResourceID.fromResource(second));
    assertThat(claims.forget(request("a", Phase.Succeeded, true), List.of(first, second))).isEmpty();
  }

  @Test
  void decisionsAboutOneDatabaseWaitForEachOther() throws Exception {
    MigrationRequest first = request("a", Phase.AwaitingApproval, false);
    MigrationRequest second = request("b", Phase.AwaitingApproval, false);
    CompletableFuture<Void> secondDecided;
    try (DatabaseClaims.Claim claim = claims.claim(first)) {
      secondDecided = CompletableFuture.runAsync(() -> claims.claim(second).close());
      assertThatWaits(secondDecided);
    }
    secondDecided.get(5, TimeUnit.SECONDS);
  }

  private static void assertThatWaits(CompletableFuture<Void> decision) throws Exception {
    try {
      decision.get(300, TimeUnit.MILLISECONDS);
      throw new AssertionError("a second decision on the database went ahead while the first held its lock");
    } catch (TimeoutException waiting) {
      assertThat(decision).isNotDone();
    }
  }
}
