package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.api.v1alpha1.ApprovalStatus;
import io.migrationgate.api.v1alpha1.DatabaseCheck;
import io.migrationgate.api.v1alpha1.JobStatus;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.api.v1alpha1.PlanStatus;
import io.migrationgate.api.v1alpha1.PlannedTarget;
import io.migrationgate.api.v1alpha1.QueueStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a request looks again without an event. */
class RechecksTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final Duration INTERVAL = Duration.ofSeconds(15);

  private static MigrationRequestStatus status(Phase phase, String retryAt) {
    MigrationRequestStatus status = new MigrationRequestStatus();
    status.phase = phase;
    if (retryAt != null) {
      status.plan = new PlanStatus();
      status.plan.check = new DatabaseCheck();
      status.plan.check.retryAt = retryAt;
    }
    return status;
  }

  @Test
  void requestsWaitingForASourceOrADatabaseLookAgainAfterTheInterval() {
    assertThat(Rechecks.after(status(Phase.Pending, null), T0, INTERVAL)).contains(INTERVAL);
    assertThat(Rechecks.after(status(Phase.Queued, null), T0, INTERVAL)).contains(INTERVAL);
  }

  @Test
  void othersWaitForAnEvent() {
    for (Phase phase : new Phase[] {Phase.AwaitingApproval, Phase.Blocked, Phase.Running, Phase.Succeeded}) {
      assertThat(Rechecks.after(status(phase, null), T0, INTERVAL)).as(phase.name()).isEmpty();
    }
  }

  @Test
  void aLaunchedRunLooksAgainWhenItsStartTimeoutEndsSinceAPodThatNeverStartsSendsNoEvent() {
    MigrationRequestStatus running = status(Phase.Running, null);
    running.job = new io.migrationgate.api.v1alpha1.JobStatus();
    running.job.launchedAt = T0.toString();
    Duration timeout = Duration.ofMinutes(10);
    assertThat(Rechecks.after(running, T0.plusSeconds(60), INTERVAL, timeout)).contains(Duration.ofMillis(540_100));
    assertThat(Rechecks.after(running, T0.plus(timeout).plusSeconds(1), INTERVAL, timeout)).isEmpty();
  }

  @Test
  void aPlanRetryIsLookedAtJustAfterItsTimeWhenThatComesFirst() {
    assertThat(Rechecks.after(status(Phase.Pending, T0.plusSeconds(3).toString()), T0, INTERVAL))
        .contains(Duration.ofMillis(3100));
    assertThat(Rechecks.after(status(Phase.Pending, T0.minusSeconds(3).toString()), T0, INTERVAL))
        .as("already due").contains(Duration.ZERO);
    assertThat(Rechecks.after(status(Phase.Pending, T0.plusSeconds(90).toString()), T0, INTERVAL))
        .as("the interval comes first").contains(INTERVAL);
  }

  @Test
  void aRequestWaitingForItsWindowLooksAgainWhenItOpens() {
    MigrationRequestStatus status = status(Phase.Queued, null);
    status.queue = new QueueStatus();
    status.queue.windowOpensAt = T0.plusSeconds(7).toString();
    assertThat(Rechecks.after(status, T0, INTERVAL)).contains(Duration.ofMillis(7100));
    status.queue.windowOpensAt = T0.plusSeconds(3600).toString();
    assertThat(Rechecks.after(status, T0, INTERVAL)).as("the interval comes first").contains(INTERVAL);
  }

  @Test
  void anApprovalThatCanExpireIsLookedAtWhenItExpiresWhateverThePhase() {
    MigrationRequestStatus status = status(Phase.Blocked, null);
    status.plan = new PlanStatus();
    status.plan.target = new PlannedTarget();
    status.plan.target.approvalExpiresAfter = "5s";
    status.approval = new ApprovalStatus();
    status.approval.recordedAt = T0.minusSeconds(2).toString();
    assertThat(Rechecks.after(status, T0, INTERVAL)).contains(Duration.ofMillis(3100));
    status.job = new JobStatus();
    assertThat(Rechecks.after(status, T0, INTERVAL)).as("launched: it no longer expires").isEmpty();
  }
}
