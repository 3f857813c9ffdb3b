package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/** The one side effect the reconciler performs before it asks the lifecycle again. */
public sealed interface Action {

  record None() implements Action {}

  /** Copy the source into this immutable ConfigMap, owned by the request; its uid goes into the plan. */
  record CreateSnapshot(ConfigMap snapshot) implements Action {}

  /** Write the status (approval latch and launch marker) first, then create the Job. */
  record LaunchJob() implements Action {}

  /** The Job is over: keep its report and log tail before the final status is written. */
  record CaptureEvidence(JobObservation observation, String outcome) implements Action {}

  /**
   * Write the plan's launch marker (status.plan.check.job and its token) unless it is written, then
   * create the read-only plan Job; its uid goes into status.plan.check.
   */
  record LaunchPlanJob(Job job) implements Action {}

  /** The plan Job is over: keep its full report (the database's view) beside the request. */
  record CapturePlanEvidence(String job, JobObservation observation, String outcome) implements Action {}

  /**
   * The Job's pod can never start (a configuration error other than its credentials): delete the
   * Job, so that it cannot run once someone fixes the cause while the request says Failed.
   */
  record DeleteJob(Job job) implements Action {}
}
