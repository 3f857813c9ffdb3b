package io.migrationgate.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.migrationgate.api.v1alpha1.DatabaseCheck;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import io.migrationgate.operator.effects.ActionPerformer;
import io.migrationgate.operator.effects.ActionPerformer.Again;
import io.migrationgate.operator.effects.ActionPerformer.JobRefused;
import io.migrationgate.operator.effects.ActionPerformer.Performed;
import io.migrationgate.operator.effects.DatabaseClaims;
import io.migrationgate.operator.effects.JobLauncher;
import io.migrationgate.operator.effects.PlanJobSlots;
import io.migrationgate.operator.effects.RunsNamespaceCleanup;
import io.migrationgate.operator.effects.RecordKeeper;
import io.migrationgate.operator.effects.StatusRecorder;
import io.migrationgate.operator.lifecycle.Action;
import io.migrationgate.operator.lifecycle.DeletionPolicy;
import io.migrationgate.operator.lifecycle.DeletionPolicy.Deletion;
import io.migrationgate.operator.lifecycle.DeletionPolicy.RecordOutcomeThenDelete;
import io.migrationgate.operator.lifecycle.DeletionPolicy.WaitForJob;
import io.migrationgate.operator.lifecycle.JobFactory;
import io.migrationgate.operator.lifecycle.Observed;
import io.migrationgate.operator.lifecycle.OwnedLabels;
import io.migrationgate.operator.lifecycle.Rechecks;
import io.migrationgate.operator.lifecycle.RecordContents;
import io.migrationgate.operator.lifecycle.RequestLifecycle;
import io.migrationgate.operator.lifecycle.RunPlacement;
import io.migrationgate.operator.lifecycle.Statuses;
import io.migrationgate.operator.lifecycle.Step;
import io.migrationgate.operator.watch.CachedCopies;
import io.migrationgate.operator.watch.NamespaceToRequests;
import io.migrationgate.operator.watch.OwnedToRequest;
import io.migrationgate.operator.watch.PodToRequest;
import io.migrationgate.operator.watch.RelevantChange;
import io.migrationgate.operator.watch.RequestObserver;
import io.migrationgate.operator.watch.TargetToRequests;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Wires JOSDK to the request's lifecycle, in four steps: observe ({@link RequestObserver}), decide
 * ({@link RequestLifecycle}, under the database's claim), perform ({@link ActionPerformer}) and
 * decide again until nothing is left to do, record ({@link StatusRecorder}). It decides nothing
 * itself: deletion is {@link DeletionPolicy}'s, when to look again {@link Rechecks}'.
 */
@ControllerConfiguration(
    name = "migrationrequest",
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = RelevantChange.class, itemStore = CachedCopies.Requests.class),
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class MigrationRequestReconciler implements Reconciler<MigrationRequest>, Cleaner<MigrationRequest> {

  private static final Duration WAIT_FOR_JOB_ON_DELETE = Duration.ofSeconds(5);
  private static final Duration AFTER_RECORDING_ON_DELETE = Duration.ofMillis(100);

  private final RequestLifecycle lifecycle;
  private final RequestObserver observer;
  private final ActionPerformer performer;
  private final DatabaseClaims databases;
  private final PlanJobSlots planSlots;
  private final StatusRecorder recorder;
  private final RecordKeeper records;
  private final Duration recheckInterval;
  private final RunPlacement placement;
  /** Where the operator's Jobs, pods and ConfigMaps may be ({@link RunPlacement#ownedObjectNamespaces}); empty for all. */
  private final Set<String> ownedObjectNamespaces;
  /**
   * Wakes requests waiting for a plan Job slot or for their database when it frees, instead of at
   * their next recheck.
   */
  private final SimpleInboundEventSource<MigrationRequest> freed = new SimpleInboundEventSource<>("freed");

  public MigrationRequestReconciler(RequestLifecycle lifecycle, RequestObserver observer, ActionPerformer performer,
      DatabaseClaims databases, PlanJobSlots planSlots, StatusRecorder recorder, RecordKeeper records,
      Duration recheckInterval, RunPlacement placement, Set<String> ownedObjectNamespaces) {
    this.lifecycle = lifecycle;
    this.observer = observer;
    this.performer = performer;
    this.databases = databases;
    this.planSlots = planSlots;
    this.recorder = recorder;
    this.records = records;
    this.recheckInterval = recheckInterval;
    this.placement = placement;
    this.ownedObjectNamespaces = Set.copyOf(ownedObjectNamespaces);
  }

  @Override
  public List<EventSource<?, MigrationRequest>> prepareEventSources(EventSourceContext<MigrationRequest> context) {
    var jobs = new InformerEventSource<>(
        owned(InformerEventSourceConfiguration.from(Job.class, MigrationRequest.class))
            .withSecondaryToPrimaryMapper(new OwnedToRequest<>(placement))
            .withItemStore(CachedCopies.jobs())
            .build(), context);
    var configMaps = new InformerEventSource<>(
        owned(InformerEventSourceConfiguration.from(ConfigMap.class, MigrationRequest.class))
            .withSecondaryToPrimaryMapper(new OwnedToRequest<>(placement))
            .withItemStore(CachedCopies.configMaps())
            .build(), context);
    var pods = new InformerEventSource<>(
        owned(InformerEventSourceConfiguration.from(Pod.class, MigrationRequest.class))
            .withSecondaryToPrimaryMapper(new PodToRequest(placement))
            .withItemStore(CachedCopies.pods())
            .build(), context);
    var targetToRequests = new TargetToRequests(context.getPrimaryCache()::list);
    var targets = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(MigrationTarget.class, MigrationRequest.class)
            .withWatchAllNamespaces()
            .withFollowControllerNamespacesChanges(false)
            // A target's status (its connection checks) changes nothing a request decides; its spec moves its generation.
            .withOnUpdateFilter((now, before) -> !java.util.Objects.equals(now.getMetadata().getGeneration(),
                    before.getMetadata().getGeneration())
                || !java.util.Objects.equals(now.getMetadata().getDeletionTimestamp(),
                    before.getMetadata().getDeletionTimestamp()))
            .withSecondaryToPrimaryMapper(targetToRequests)
            .withPrimaryToSecondaryMapper(targetToRequests)
            .build(), context);
    var namespaceToRequests = new NamespaceToRequests(context.getPrimaryCache()::list);
    var namespaces = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Namespace.class, MigrationRequest.class)
            .withWatchAllNamespaces()
            .withFollowControllerNamespacesChanges(false)
            .withOnUpdateFilter(namespaceToRequests)
            .withSecondaryToPrimaryMapper(namespaceToRequests)
            .withPrimaryToSecondaryMapper(namespaceToRequests)
            .withItemStore(CachedCopies.namespaces())
            .build(), context);
    return List.of(jobs, configMaps, pods, namespaces, targets, freed);
  }

  /** The operator's own objects, in the watched namespaces and the runs namespace. */
  private <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> owned(
      InformerEventSourceConfiguration.Builder<R> builder) {
    builder.withLabelSelector(OwnedLabels.SELECTOR);
    return ownedObjectNamespaces.isEmpty() ? builder
        : builder.withNamespaces(ownedObjectNamespaces).withFollowControllerNamespacesChanges(false);
  }

  @Override
  public UpdateControl<MigrationRequest> reconcile(MigrationRequest request, Context<MigrationRequest> context) {
    MigrationRequestStatus status = carryOut(request, context);
    return Rechecks.after(status, recorder.now(), recheckInterval, lifecycle.runStartTimeout())
        .map(after -> UpdateControl.<MigrationRequest>noUpdate().rescheduleAfter(after))
        .orElseGet(UpdateControl::noUpdate);
  }

  /** Shows an unexpected failure on the request (ReconcileError); JOSDK retries as configured. */
  @Override
  public ErrorStatusUpdateControl<MigrationRequest> updateErrorStatus(
      MigrationRequest request, Context<MigrationRequest> context, Exception e) {
    int attempt = context.getRetryInfo().map(RetryInfo::getAttemptCount).orElse(1);
    boolean last = context.getRetryInfo().map(RetryInfo::isLastAttempt).orElse(true);
    recorder.recordFailure(request, e, attempt, last, context);
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /** Observe, decide and perform, record; then let go of what the written status no longer needs. */
  private MigrationRequestStatus carryOut(MigrationRequest request, Context<MigrationRequest> context) {
    Observed observed = observer.observe(request, context);
    Turn done = decideAndPerform(observed, context);
    MigrationRequest written = recorder.record(request, done.request(), done.step(), context);
    settle(written, observed, context);
    return written.getStatus();
  }

  /** A decision and the request as it stands after it: with its launch marker written when it launches. */
  private record Turn(Step step, MigrationRequest request) {}

  /** Performs the lifecycle's actions one at a time, asking again after each with what it changed. */
  private Turn decideAndPerform(Observed observed, Context<MigrationRequest> context) {
    Turn turn = decide(observed, context);
    for (int actions = 0; actions < Action.LONGEST_CHAIN; actions++) {
      observed = observed.withRequest(turn.request());
      Performed performed = performer.perform(turn.step(), observed, context);
      if (performed instanceof JobRefused refused) {
        return new Turn(lifecycle.launchRefused(observed.request(), refused.why()), observed.request());
      }
      if (!(performed instanceof Again again)) {
        break;
      }
      observed = again.observed();
      turn = decide(observed, context);
    }
    return turn;
  }

  /**
   * Decides under the database's lock. A launch writes its marker (with the approval latch) and
   * holds the database before the lock opens, so no other request on it can launch meanwhile.
   */
  private Turn decide(Observed observed, Context<MigrationRequest> context) {
    try (DatabaseClaims.Claim claim = databases.claim(observed.request())) {
      Step step = lifecycle.next(observed);
      if (!(step.action() instanceof Action.LaunchJob)) {
        return new Turn(step, observed.request());
      }
      MigrationRequest marked = recorder.writeMarker(observed.request(), step, context);
      claim.hold(marked);
      return new Turn(step, marked);
    }
  }

  /**
   * After a status write: the database is freed when the run is over or withdrawn, and a recorded
   * Job let go; a plan Job as soon as its report is kept. A request that ended after approval gets
   * its MigrationRecord now, not at deletion, so no crash while it is deleted can lose it.
   */
  private void settle(MigrationRequest written, Observed observed, Context<MigrationRequest> context) {
    List<MigrationRequest> all = context.getPrimaryCache().list().toList();
    databases.settled(observed.request(), written, all).forEach(freed::propagateEvent);
    planSlots.settled(observed.request(), written, all).forEach(freed::propagateEvent);
    MigrationRequestStatus status = written.getStatus();
    if (Statuses.isFinal(status)) {
      releaseJob(status, observed, context);
    }
    Statuses.planCheck(status).filter(check -> check.evidence != null)
        .ifPresent(check -> releasePlanJob(check, observed, context));
    releaseSupersededPlanJobs(status, context);
    records.keep(written);
  }

  private static void releaseJob(MigrationRequestStatus status, Observed observed, Context<MigrationRequest> context) {
    String recorded = status == null || status.job == null ? null : status.job.uid;
    observed.job().ifPresent(j -> JobLauncher.releaseOutcomeFinalizer(context.getClient(), j, recorded));
  }

  private static void releasePlanJob(DatabaseCheck check, Observed observed, Context<MigrationRequest> context) {
    observed.planRun().job().ifPresent(j -> JobLauncher.releaseOutcomeFinalizer(context.getClient(), j, check.jobUid));
  }

  /**
   * A plan Job that status no longer names (a replan, an attempt retried) has no outcome left to
   * record; held, it would keep its namespace from being deleted.
   */
  private static void releaseSupersededPlanJobs(MigrationRequestStatus status, Context<MigrationRequest> context) {
    String current = Statuses.planCheck(status).map(check -> check.job).orElse(null);
    context.getSecondaryResources(Job.class).stream()
        .filter(JobFactory::isPlanJob)
        .filter(j -> !j.getMetadata().getName().equals(current))
        .forEach(j -> JobLauncher.releaseOutcomeFinalizer(context.getClient(), j, j.getMetadata().getUid()));
  }

  @Override
  public DeleteControl cleanup(MigrationRequest request, Context<MigrationRequest> context) {
    Observed observed = observer.observe(request, context);
    Deletion deletion = DeletionPolicy.decide(request.getStatus(), () -> lifecycle.next(observed));
    if (deletion instanceof WaitForJob wait) {
      recorder.announce(request, wait.event());
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(WAIT_FOR_JOB_ON_DELETE);
    }
    if (deletion instanceof RecordOutcomeThenDelete) {
      carryOut(request, context);
      // JOSDK removes the finalizer with a JSON patch against the request this pass received; after
      // a status write that copy is stale, and a patch removing a condition that is gone fails. The
      // next pass starts from the recorded outcome and lets the request go.
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(AFTER_RECORDING_ON_DELETE);
    }
    // The record is written when the request ends; this covers an operator that stopped in between.
    // Until it is written, the request stays.
    records.keep(request);
    records.forget(request);
    List<MigrationRequest> all = context.getPrimaryCache().list().toList();
    databases.forget(request, all).forEach(freed::propagateEvent);
    planSlots.forget(request, all).forEach(freed::propagateEvent);
    recorder.forget(request);
    // Beside the request the Job is its dependent: the garbage collector deletes it once nothing holds it.
    releaseJob(request.getStatus(), observed, context);
    Statuses.planCheck(request.getStatus()).ifPresent(check -> releasePlanJob(check, observed, context));
    releaseSupersededPlanJobs(request.getStatus(), context);
    RunsNamespaceCleanup.afterDeletion(request, placement, context.getClient(),
        !records.enabled() || RecordContents.leavesRecord(request.getStatus()));
    return DeleteControl.defaultDelete();
  }
}
