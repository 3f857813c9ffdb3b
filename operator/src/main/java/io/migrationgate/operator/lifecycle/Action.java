package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * The one side effect the reconciler performs before it asks the lifecycle again. A performer
 * answers every kind through a {@link Visitor}: a kind added here without its method there does not
 * compile, so no action is ever skipped silently.
 */
public sealed interface Action {

  /**
   * Snapshot, launch, evidence and deleting a Job that cannot start is the longest chain of actions
   * in one reconcile; a longer one means a loop.
   */
  int LONGEST_CHAIN = 4;

  <R> R accept(Visitor<R> visitor);

  /** One method per kind of action. */
  interface Visitor<R> {
    R none(None nothing);

    R createSnapshot(CreateSnapshot action);

    R launchJob(LaunchJob action);

    R captureEvidence(CaptureEvidence action);

    R launchPlanJob(LaunchPlanJob action);

    R capturePlanEvidence(CapturePlanEvidence action);

    R deleteJob(DeleteJob action);
  }

  record None() implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.none(this);
    }
  }

  /** Copy the source into this immutable ConfigMap, owned by the request; its uid goes into the plan. */
  record CreateSnapshot(ConfigMap snapshot) implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.createSnapshot(this);
    }
  }

  /** Write the status (approval latch and launch marker) first, then create the Job. */
  record LaunchJob() implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.launchJob(this);
    }
  }

  /** The Job is over: keep its report and log tail before the final status is written. */
  record CaptureEvidence(JobObservation observation, String outcome) implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.captureEvidence(this);
    }
  }

  /**
   * Write the plan's launch marker (status.plan.check.job and its token) unless it is written, then
   * create the read-only plan Job; its uid goes into status.plan.check.
   */
  record LaunchPlanJob(Job job) implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.launchPlanJob(this);
    }
  }

  /** The plan Job is over: keep its full report (the database's view) beside the request. */
  record CapturePlanEvidence(String job, JobObservation observation, String outcome) implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.capturePlanEvidence(this);
    }
  }

  /**
   * The Job's pod can never start (a configuration error other than its credentials): delete the
   * Job, so that it cannot run once someone fixes the cause while the request says Failed.
   */
  record DeleteJob(Job job) implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.deleteJob(this);
    }
  }
}
