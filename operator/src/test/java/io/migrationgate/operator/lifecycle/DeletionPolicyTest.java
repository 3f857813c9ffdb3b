package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.api.v1alpha1.JobStatus;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.operator.lifecycle.DeletionPolicy.Delete;
import io.migrationgate.operator.lifecycle.DeletionPolicy.RecordOutcomeThenDelete;
import io.migrationgate.operator.lifecycle.DeletionPolicy.WaitForJob;
import io.migrationgate.operator.lifecycle.Action.CaptureEvidence;
import io.migrationgate.operator.lifecycle.Action.LaunchJob;
import io.migrationgate.operator.lifecycle.Action.None;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Deleting a request, decided with plain statuses and a stand-in for the lifecycle's next step. */
class DeletionPolicyTest {

  private static MigrationRequestStatus status(Phase phase, boolean launched) {
    MigrationRequestStatus status = new MigrationRequestStatus();
    status.phase = phase;
    if (launched) {
      status.job = new JobStatus();
      status.job.name = "orders-run";
    }
    return status;
  }

  private static Supplier<Step> next(Phase phase, Action action) {
    return () -> new Step(status(phase, true), Optional.empty(), action);
  }

  private static final Supplier<Step> NEVER_ASKED = () -> {
    throw new AssertionError("the lifecycle is asked only about a launched, unfinished run");
  };

  @Test
  void aRequestThatNeverLaunchedOrHasEndedIsDeletedAtOnce() {
    assertThat(DeletionPolicy.decide(null, NEVER_ASKED)).isInstanceOf(Delete.class);
    assertThat(DeletionPolicy.decide(status(Phase.AwaitingApproval, false), NEVER_ASKED)).isInstanceOf(Delete.class);
    assertThat(DeletionPolicy.decide(status(Phase.Succeeded, true), NEVER_ASKED)).isInstanceOf(Delete.class);
    assertThat(DeletionPolicy.decide(status(Phase.Failed, true), NEVER_ASKED)).isInstanceOf(Delete.class);
  }

  @Test
  void aRunningJobIsWaitedForSoItsResultIsRecorded() {
    assertThat(DeletionPolicy.decide(status(Phase.Running, true), next(Phase.Running, new None())))
        .isEqualTo(new WaitForJob("orders-run"));
  }

  @Test
  void aJobThatHasJustEndedHasItsOutcomeRecordedFirst() {
    assertThat(DeletionPolicy.decide(status(Phase.Running, true), next(Phase.Failed, new CaptureEvidence(null, "x"))))
        .isInstanceOf(RecordOutcomeThenDelete.class);
  }

  @Test
  void aLaunchThatNeverHappenedIsNotStartedByTheDeletion() {
    assertThat(DeletionPolicy.decide(status(Phase.Running, true), next(Phase.Running, new LaunchJob())))
        .isInstanceOf(Delete.class);
  }

  @Test
  void aLaunchTheApiServerRefusedLeavesNothingToWaitFor() {
    assertThat(DeletionPolicy.decide(status(Phase.Running, true), next(Phase.Queued, new None())))
        .isInstanceOf(Delete.class);
  }
}
