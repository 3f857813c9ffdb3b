package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.operator.effects.StatusRecorder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/**
 * The lifecycle as the operator runs it, at one fixed instant: each decision comes with the status
 * the StatusRecorder would write for it, conditions included, so tests read what a user would.
 */
final class LifecycleAt {

  /** A decision, with the status as written. */
  record Decided(MigrationRequestStatus status, Action action) {}

  private final RequestLifecycle lifecycle;
  private final StatusRecorder recorder;

  private LifecycleAt(Instant now, JobFactory jobs, boolean databasePlan) {
    this.recorder = new StatusRecorder(Clock.fixed(now, ZoneOffset.UTC), List.of());
    this.lifecycle = new RequestLifecycle(new ProductionGuard(NamespaceSelector.parse("environment=production")),
        new TargetAdmission(true), new ApprovalPolicy(Set.of()), jobs, databasePlan, recorder::now);
  }

  static LifecycleAt at(Instant now, JobFactory jobs, boolean databasePlan) {
    return new LifecycleAt(now, jobs, databasePlan);
  }

  Decided next(Observed observed) {
    return recorded(observed.request(), lifecycle.next(observed));
  }

  Decided launchRefused(MigrationRequest request, String why) {
    return recorded(request, lifecycle.launchRefused(request, why));
  }

  private Decided recorded(MigrationRequest request, Step step) {
    return new Decided(recorder.statusOf(request, step), step.action());
  }
}
