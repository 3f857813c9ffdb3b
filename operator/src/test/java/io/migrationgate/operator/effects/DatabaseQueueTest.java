package io.migrationgate.operator.effects;

import io.migrationgate.operator.Requests;
import io.migrationgate.operator.lifecycle.Action;
import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.api.v1alpha1.ApprovalStatus;
import io.migrationgate.api.v1alpha1.JobStatus;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.operator.effects.DatabaseQueue.Turn;
import io.migrationgate.operator.lifecycle.Action.LaunchJob;
import io.migrationgate.operator.lifecycle.Action.None;
import io.migrationgate.operator.lifecycle.Step;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatabaseQueueTest {

  private final DatabaseQueue queue = new DatabaseQueue();

  private static MigrationRequest request(String name, String url, Phase phase, String approvedAt, boolean launched) {
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

  @Test
  void aRunningRequestOnTheSameDatabaseIsAhead() {
    MigrationRequest running = request("a", "jdbc:postgresql://db/orders", Phase.Running, "2026-11-25T10:00:00Z", true);
    MigrationRequest me = request("b", "jdbc:postgresql://DB:5432/orders", Phase.Queued, "2026-11-25T10:01:00Z", false);
    assertThat(queue.ahead(me, List.of(running, me))).contains(running);
  }

  @Test
  void otherDatabasesAndFinishedRequestsAreNotAhead() {
    MigrationRequest other = request("a", "jdbc:postgresql://db/billing", Phase.Running, "2026-11-25T10:00:00Z", true);
    MigrationRequest done = request("c", "jdbc:postgresql://db/orders", Phase.Succeeded, "2026-11-25T09:00:00Z", true);
    MigrationRequest me = request("b", "jdbc:postgresql://db/orders", Phase.Queued, "2026-11-25T10:01:00Z", false);
    assertThat(queue.ahead(me, List.of(other, done, me))).isEmpty();
  }

  @Test
  void theEarlierApprovedWaitingRequestGoesFirst() {
    MigrationRequest earlier = request("a", "jdbc:postgresql://db/orders", Phase.Queued, "2026-11-25T10:00:00Z", false);
    MigrationRequest me = request("b", "jdbc:postgresql://db/orders", Phase.Queued, "2026-11-25T10:05:00Z", false);
    assertThat(queue.ahead(me, List.of(earlier, me))).contains(earlier);
    assertThat(queue.ahead(earlier, List.of(earlier, me))).isEmpty();
  }

  @Test
  void aRequestWhoseJobTheApiServerRefusedDoesNotHoldItsPlace() {
    MigrationRequest refused = request("a", "jdbc:postgresql://db/orders", Phase.Queued, "2026-11-25T10:00:00Z", false);
    refused.getStatus().conditions.add(new io.fabric8.kubernetes.api.model.ConditionBuilder()
        .withType(io.migrationgate.api.v1alpha1.Conditions.READY).withStatus("False")
        .withReason(io.migrationgate.api.v1alpha1.Conditions.Reason.JOB_CREATE_REFUSED).build());
    MigrationRequest me = request("b", "jdbc:postgresql://db/orders", Phase.Queued, "2026-11-25T10:05:00Z", false);
    assertThat(queue.ahead(me, List.of(refused, me))).isEmpty();
  }

  private static Step step(Phase phase, boolean launched, Action action) {
    MigrationRequestStatus status = new MigrationRequestStatus();
    status.phase = phase;
    if (launched) {
      status.job = new JobStatus();
      status.job.name = "a-run";
    }
    return new Step(status, action);
  }

  /** The request as the status write returns it: with the decided status. */
  private static MigrationRequest written(MigrationRequest request, Step step) {
    MigrationRequest copy = Requests.request("team", request.getMetadata().getName(), request.getSpec().database.url);
    copy.setStatus(step.status());
    return copy;
  }

  @Test
  void aLaunchWritesItsMarkerAndHoldsTheDatabaseUntilTheWrittenStatusShowsTheRunOver() {
    // The cache still shows both requests without a launch: only the claim keeps the second out.
    MigrationRequest first = request("a", "jdbc:postgresql://db/orders", Phase.AwaitingApproval, null, false);
    MigrationRequest second = request("b", "jdbc:postgresql://db/orders", Phase.AwaitingApproval, null, false);
    List<Step> markers = new ArrayList<>();

    Turn turn = queue.decide(first, () -> step(Phase.Running, true, new LaunchJob()), s -> {
      markers.add(s);
      return written(first, s);
    });

    assertThat(markers).hasSize(1);
    assertThat(turn.request().getStatus().job).isNotNull();
    assertThat(queue.ahead(second, List.of(first, second))).contains(first);
    queue.settled(written(first, step(Phase.Running, true, new None())));
    assertThat(queue.ahead(second, List.of(first, second))).as("still running").contains(first);
    queue.settled(written(first, step(Phase.Succeeded, true, new None())));
    assertThat(queue.ahead(second, List.of(first, second))).isEmpty();
  }

  @Test
  void aDecisionThatDoesNotLaunchWritesNothingAndHoldsNothing() {
    MigrationRequest first = request("a", "jdbc:postgresql://db/orders", Phase.AwaitingApproval, null, false);
    MigrationRequest second = request("b", "jdbc:postgresql://db/orders", Phase.AwaitingApproval, null, false);

    Turn turn = queue.decide(first, () -> step(Phase.AwaitingApproval, false, new None()), s -> {
      throw new AssertionError("no marker without a launch");
    });

    assertThat(turn.request()).isSameAs(first);
    assertThat(queue.ahead(second, List.of(first, second))).isEmpty();
  }

  @Test
  void aWithdrawnMarkerOrADeletedRequestFreesTheDatabase() {
    MigrationRequest first = request("a", "jdbc:postgresql://db/orders", Phase.AwaitingApproval, null, false);
    MigrationRequest second = request("b", "jdbc:postgresql://db/orders", Phase.AwaitingApproval, null, false);
    queue.decide(first, () -> step(Phase.Running, true, new LaunchJob()), s -> written(first, s));
    queue.settled(written(first, step(Phase.Queued, false, new None())));
    assertThat(queue.ahead(second, List.of(first, second))).as("marker withdrawn").isEmpty();

    queue.decide(first, () -> step(Phase.Running, true, new LaunchJob()), s -> written(first, s));
    queue.forget(first);
    assertThat(queue.ahead(second, List.of(first, second))).as("request deleted").isEmpty();
  }

  @Test
  void aRequestWithoutADatabaseUrlInTheCacheDoesNotBreakTheQueue() {
    MigrationRequest broken = request("x", "jdbc:postgresql://db/orders", Phase.Failed, null, false);
    broken.getSpec().database.url = null;
    MigrationRequest me = request("b", "jdbc:postgresql://db/orders", Phase.AwaitingApproval, null, false);
    assertThat(queue.ahead(me, List.of(broken, me))).isEmpty();
  }
}
