package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.operator.lifecycle.Action.LaunchJob;
import java.util.function.Supplier;

/**
 * What deleting a request does to its run. A Job that is running is waited for, so its result is
 * recorded before the request and its evidence go; a Job that has just ended has its result
 * recorded first; a launch that never happened is not started now.
 */
public final class DeletionPolicy {

  /** What the reconciler does with a request that is being deleted. */
  public sealed interface Deletion {}

  /** Keep the request (and its finalizer) until the Job ends. */
  public record WaitForJob(String job) implements Deletion {
    /** What the request's Events say meanwhile. */
    public TransitionEvents.Event event() {
      return new TransitionEvents.Event(Reason.WAITING_FOR_JOB,
          "deletion waits for Job " + job + " to finish, so its result is recorded", false);
    }
  }

  /** The Job is over: record its outcome as a reconcile would, then let the request go. */
  public record RecordOutcomeThenDelete() implements Deletion {}

  /** Nothing runs or will run: let the request go. */
  public record Delete() implements Deletion {}

  private DeletionPolicy() {}

  /** {@code next} is the lifecycle's step for the request as it stands; asked only for a launched, unfinished run. */
  public static Deletion decide(MigrationRequestStatus status, Supplier<Step> next) {
    if (status == null || status.job == null || Statuses.isFinal(status)) {
      return new Delete();
    }
    Step step = next.get();
    if (step.action() instanceof LaunchJob) {
      return new Delete();
    }
    if (step.status().phase == Phase.Running) {
      return new WaitForJob(status.job.name);
    }
    if (step.status().phase.isFinal()) {
      return new RecordOutcomeThenDelete();
    }
    return new Delete();
  }
}
