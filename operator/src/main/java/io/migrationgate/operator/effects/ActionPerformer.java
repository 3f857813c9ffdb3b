package io.migrationgate.operator.effects;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.operator.lifecycle.Action;
import io.migrationgate.operator.lifecycle.JobFactory;
import io.migrationgate.operator.lifecycle.Observed;
import io.migrationgate.operator.lifecycle.Statuses;
import io.migrationgate.operator.lifecycle.Step;
import java.util.Optional;

/**
 * Performs the lifecycle's actions, one at a time, and says what each changed: the observation to
 * decide again on, or that nothing more is to be done in this reconcile. Every kind of action is
 * answered here ({@link Action.Visitor}), so one added to the lifecycle does not compile until it is.
 */
public final class ActionPerformer {

  /** What performing an action left. */
  public sealed interface Performed {}

  /** Decide again on this observation, which holds what the action produced. */
  public record Again(Observed observed) implements Performed {}

  /** The reconcile's decisions are done. */
  public record Done() implements Performed {}

  /** The API server refused to create the Job and nothing was created; the lifecycle says what that means. */
  public record JobRefused(String why) implements Performed {}

  private final JobFactory jobFactory;
  private final JobLauncher jobs;
  private final PlanJobSlots planSlots;
  private final StatusRecorder recorder;

  public ActionPerformer(JobFactory jobFactory, JobLauncher jobs, PlanJobSlots planSlots, StatusRecorder recorder) {
    this.jobFactory = jobFactory;
    this.jobs = jobs;
    this.planSlots = planSlots;
    this.recorder = recorder;
  }

  /** Performs {@code step}'s action on the request as {@code observed} shows it. */
  public Performed perform(Step step, Observed observed, Context<MigrationRequest> context) {
    KubernetesClient client = context.getClient();
    return step.action().accept(new Action.Visitor<>() {
      @Override
      public Performed none(Action.None nothing) {
        return new Done();
      }

      @Override
      public Performed createSnapshot(Action.CreateSnapshot create) {
        return new Again(observed.withSnapshot(client.resource(create.snapshot()).create()));
      }

      /** The marker is written (under the database's claim): the Job is built from it and created. */
      @Override
      public Performed launchJob(Action.LaunchJob launch) {
        MigrationRequest marked = observed.request();
        JobLauncher.Outcome outcome = jobs.createJob(jobFactory.build(marked), client);
        if (outcome instanceof JobLauncher.Refused refused) {
          return new JobRefused(refused.why());
        }
        if (outcome instanceof JobLauncher.Created created) {
          return new Again(observed.withRequest(recorder.recordJob(marked, created.job(), context))
              .withJob(created.job()));
        }
        return new Again(observed.withJob(((JobLauncher.Found) outcome).job()));
      }

      @Override
      public Performed captureEvidence(Action.CaptureEvidence capture) {
        return new Again(observed.withEvidence(
            new EvidenceRecorder(client, jobFactory.placement()).record(observed.request(), capture.observation(), capture.outcome())));
      }

      /** Without a slot (the line moved since the decision) the next decision says what it waits for. */
      @Override
      public Performed launchPlanJob(Action.LaunchPlanJob launch) {
        Optional<MigrationRequest> marked = planLaunchMarker(observed.request(), step, context);
        if (marked.isEmpty()) {
          return new Again(observed);
        }
        Job created = jobs.createPlanJob(launch.job(), client);
        return new Again(observed.withRequest(marked.get()).withPlanRun(observed.planRun().withJob(created)));
      }

      @Override
      public Performed capturePlanEvidence(Action.CapturePlanEvidence capture) {
        return new Again(observed.withPlanRun(observed.planRun().withEvidence(new EvidenceRecorder(client, jobFactory.placement())
            .recordPlan(observed.request(), capture.job(), capture.observation(), capture.outcome()))));
      }

      @Override
      public Performed deleteJob(Action.DeleteJob delete) {
        client.resource(delete.job()).delete();
        return new Done();
      }
    });
  }

  /**
   * The plan's launch marker, written before its Job is created, under the plan Job slots' lock; a
   * marker already written (the Job was not seen after a crash) is used as it is.
   */
  private Optional<MigrationRequest> planLaunchMarker(
      MigrationRequest request, Step step, Context<MigrationRequest> context) {
    String token = step.status().plan.check.launchToken;
    boolean markerWritten = Statuses.planCheck(request.getStatus()).map(check -> token.equals(check.launchToken))
        .orElse(false);
    if (markerWritten) {
      return Optional.of(request);
    }
    try (PlanJobSlots.Claim claim = planSlots.claim(request, context.getPrimaryCache().list().toList())) {
      if (!claim.mayStart()) {
        return Optional.empty();
      }
      MigrationRequest written = recorder.writeMarker(request, step, context);
      claim.hold(written);
      return Optional.of(written);
    }
  }
}
