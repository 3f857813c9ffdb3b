package io.migrationgate.operator;

import io.migrationgate.operator.effects.DatabaseClaims;
import io.migrationgate.operator.effects.EvidenceRecorder;
import io.migrationgate.operator.effects.JobCreation;
import io.migrationgate.operator.effects.PlanJobSlots;
import io.migrationgate.operator.effects.StatusRecorder;
import io.migrationgate.operator.lifecycle.DeletionPolicy;
import io.migrationgate.operator.lifecycle.JobFactory;
import io.migrationgate.operator.lifecycle.OwnedLabels;
import io.migrationgate.operator.lifecycle.RequestLifecycle;
import io.migrationgate.operator.lifecycle.Statuses;
import io.migrationgate.operator.watch.CachedCopies;
import io.migrationgate.operator.watch.NamespaceToRequests;
import io.migrationgate.operator.watch.PodToRequest;
import io.migrationgate.operator.watch.RelevantChange;
import io.migrationgate.operator.watch.RequestObserver;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.operator.lifecycle.DeletionPolicy.Deletion;
import io.migrationgate.operator.lifecycle.DeletionPolicy.RecordOutcomeThenDelete;
import io.migrationgate.operator.lifecycle.DeletionPolicy.WaitForJob;
import io.migrationgate.operator.lifecycle.Action;
import io.migrationgate.api.v1alpha1.DatabaseCheck;
import io.migrationgate.operator.lifecycle.Action.CaptureEvidence;
import io.migrationgate.operator.lifecycle.Action.CapturePlanEvidence;
import io.migrationgate.operator.lifecycle.Action.LaunchPlanJob;
import io.migrationgate.operator.lifecycle.PlanRun;
import io.migrationgate.operator.lifecycle.Action.CreateSnapshot;
import io.migrationgate.operator.lifecycle.Action.DeleteJob;
import io.migrationgate.operator.lifecycle.Action.LaunchJob;
import io.migrationgate.operator.lifecycle.Action.None;
import io.migrationgate.operator.lifecycle.Observed;
import io.migrationgate.operator.lifecycle.Step;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires JOSDK to the lifecycle and carries out effects, nothing else: observe, decide and perform,
 * write, record events. Every decision lives in {@link RequestLifecycle} (and the policy classes it
 * calls), the database's turn in {@link io.migrationgate.operator.lifecycle.DatabaseQueue}, deletion in {@link DeletionPolicy}.
 */
@ControllerConfiguration(
    name = "migrationrequest",
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = RelevantChange.class, itemStore = CachedCopies.Requests.class),
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class MigrationRequestReconciler implements Reconciler<MigrationRequest>, Cleaner<MigrationRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(MigrationRequestReconciler.class);
  private static final Duration WAIT_FOR_JOB_ON_DELETE = Duration.ofSeconds(5);
  private static final Duration AFTER_RECORDING_ON_DELETE = Duration.ofMillis(100);
  /** Snapshot, launch, evidence and deleting a Job that cannot start is the longest chain; more means a loop. */
  private static final int MAX_EFFECTS_PER_RECONCILE = 4;

  private final RequestLifecycle lifecycle;
  private final JobFactory jobFactory;
  private final DatabaseClaims databases;
  private final StatusRecorder recorder;
  private final Duration recheckInterval;
  private final Duration testLaunchPause;
  private final PlanJobSlots planSlots;
  private final RequestObserver observer;
  /** Wakes requests waiting for a plan Job slot when one frees, instead of at their next recheck. */
  private final SimpleInboundEventSource<MigrationRequest> slotFreed = new SimpleInboundEventSource<>("plan-slot-freed");

  public MigrationRequestReconciler(
      RequestLifecycle lifecycle, JobFactory jobFactory, DatabaseClaims databases, PlanJobSlots planSlots,
      StatusRecorder recorder, Duration recheckInterval, Duration testLaunchPause) {
    this.lifecycle = lifecycle;
    this.jobFactory = jobFactory;
    this.databases = databases;
    this.planSlots = planSlots;
    this.observer = new RequestObserver(databases, planSlots);
    this.recorder = recorder;
    this.recheckInterval = recheckInterval;
    this.testLaunchPause = testLaunchPause;
  }

  @Override
  public List<EventSource<?, MigrationRequest>> prepareEventSources(EventSourceContext<MigrationRequest> context) {
    var jobs = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Job.class, MigrationRequest.class)
            .withLabelSelector(OwnedLabels.SELECTOR)
            .withItemStore(CachedCopies.jobs())
            .build(), context);
    var configMaps = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(ConfigMap.class, MigrationRequest.class)
            .withLabelSelector(OwnedLabels.SELECTOR)
            .withItemStore(CachedCopies.configMaps())
            .build(), context);
    var pods = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, MigrationRequest.class)
            .withLabelSelector(OwnedLabels.SELECTOR)
            .withSecondaryToPrimaryMapper(new PodToRequest())
            .withItemStore(CachedCopies.pods())
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
    return List.of(jobs, configMaps, pods, namespaces, slotFreed);
  }

  @Override
  public UpdateControl<MigrationRequest> reconcile(MigrationRequest request, Context<MigrationRequest> context) {
    return reschedule(carryOut(request, context));
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

  /** Observe, decide and perform, record. */
  private MigrationRequestStatus carryOut(MigrationRequest request, Context<MigrationRequest> context) {
    Observed observed = observer.observe(request, context);
    Turn done = decideAndPerform(observed, context);
    MigrationRequest written = recorder.record(request, done.request(), done.step(), context);
    settle(written, observed, context);
    return written.getStatus();
  }

  /** Performs the lifecycle's actions one at a time, asking again after each with what it changed. */
  private Turn decideAndPerform(Observed observed, Context<MigrationRequest> context) {
    KubernetesClient client = context.getClient();
    Turn turn = decide(observed, context);
    for (int effects = 0; effects < MAX_EFFECTS_PER_RECONCILE; effects++) {
      observed = observed.withRequest(turn.request());
      Action action = turn.step().action();
      if (action instanceof None) {
        break;
      } else if (action instanceof CreateSnapshot create) {
        observed = observed.withSnapshot(client.resource(create.snapshot()).create());
      } else if (action instanceof LaunchJob) {
        Launch launch = launch(observed.request(), context);
        if (launch.refusal() != null) {
          return new Turn(lifecycle.launchRefused(observed.request(), launch.refusal()), observed.request());
        }
        observed = observed.withRequest(launch.request()).withJob(launch.job());
      } else if (action instanceof CaptureEvidence capture) {
        observed = observed.withEvidence(
            new EvidenceRecorder(client).record(observed.request(), capture.observation(), capture.outcome()));
      } else if (action instanceof LaunchPlanJob launch) {
        // Without a slot (the line moved since the decision) the next decision says what it waits for.
        Optional<MigrationRequest> marked = planLaunchMarker(observed.request(), turn.step(), context);
        if (marked.isPresent()) {
          observed = observed.withRequest(marked.get())
              .withPlanRun(observed.planRun().withJob(createPlanJob(launch.job(), client)));
        }
      } else if (action instanceof CapturePlanEvidence capture) {
        observed = observed.withPlanRun(observed.planRun().withEvidence(new EvidenceRecorder(client)
            .recordPlan(observed.request(), capture.job(), capture.observation(), capture.outcome())));
      } else if (action instanceof DeleteJob delete) {
        client.resource(delete.job()).delete();
        break;
      }
      turn = decide(observed, context);
    }
    return turn;
  }

  /** A decision and the request as it stands after it: with its launch marker written when it launches. */
  private record Turn(Step step, MigrationRequest request) {}

  /**
   * Decides under the database's lock. A launch writes its marker (with the approval latch) and
   * holds the database before the lock opens, so no other request on it can launch meanwhile.
   */
  private Turn decide(Observed observed, Context<MigrationRequest> context) {
    try (DatabaseClaims.Claim claim = databases.claim(observed.request())) {
      Step step = lifecycle.next(observed);
      if (!(step.action() instanceof LaunchJob)) {
        return new Turn(step, observed.request());
      }
      MigrationRequest marked = recorder.writeMarker(observed.request(), step, context);
      claim.hold(marked);
      return new Turn(step, marked);
    }
  }

  /** A created (or already existing) Job and the request with its uid recorded; or why the API server refused. */
  private record Launch(MigrationRequest request, Job job, String refusal) {}

  private Launch launch(MigrationRequest request, Context<MigrationRequest> context) {
    Job built = jobFactory.build(request);
    try {
      pauseForTest();
      Job job = context.getClient().resource(built).create();
      pauseForTest();
      return new Launch(recorder.recordJob(request, job, context), job, null);
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        // Not ours until the lifecycle says so: its uid is recorded only once it is trusted.
        Job existing = context.getClient().resource(built).get();
        if (existing == null) {
          throw e;
        }
        return new Launch(request, existing, null);
      }
      if (JobCreation.definitelyRefused(e)) {
        return new Launch(request, null, JobCreation.why(e));
      }
      throw e;
    }
  }

  /**
   * The plan's launch marker, written before its Job is created, under the plan Job slots' lock; a
   * marker already written (the Job was not seen after a crash) is used as it is.
   */
  private Optional<MigrationRequest> planLaunchMarker(
      MigrationRequest request, Step step, Context<MigrationRequest> context) {
    String token = step.status().plan.check.launchToken;
    boolean markerWritten = Statuses.planCheck(request.getStatus()).map(check -> token.equals(check.launchToken)).orElse(false);
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

  /**
   * A plan Job is read-only, so one the operator finds at its name is judged by the lifecycle
   * (TrustedObjects: its launch token) rather than refused here.
   */
  private Job createPlanJob(Job built, KubernetesClient client) {
    try {
      pauseForTest();
      Job created = client.resource(built).create();
      pauseForTest();
      return created;
    } catch (KubernetesClientException e) {
      Job existing = e.getCode() == HttpURLConnection.HTTP_CONFLICT ? client.resource(built).get() : null;
      if (existing == null) {
        throw e;
      }
      return existing;
    }
  }

  /**
   * After a status write: the database is freed when the run is over or withdrawn, and a recorded
   * Job let go; a plan Job as soon as its report is kept.
   */
  private void settle(MigrationRequest written, Observed observed, Context<MigrationRequest> context) {
    databases.settled(written);
    planSlots.settled(observed.request(), written, context.getPrimaryCache().list().toList())
        .forEach(slotFreed::propagateEvent);
    MigrationRequestStatus status = written.getStatus();
    if (Statuses.isFinal(status)) {
      releaseJob(status, observed.job(), context);
    }
    Statuses.planCheck(status).filter(check -> check.evidence != null)
        .ifPresent(check -> releasePlanJob(check, observed.planRun(), context));
  }

  private static void releasePlanJob(DatabaseCheck check, PlanRun run, Context<MigrationRequest> context) {
    run.job().ifPresent(j -> JobCreation.releaseOutcomeFinalizer(context.getClient(), j, check.jobUid));
  }

  private static void releaseJob(MigrationRequestStatus status, Optional<Job> job, Context<MigrationRequest> context) {
    String recorded = status == null || status.job == null ? null : status.job.uid;
    job.ifPresent(j -> JobCreation.releaseOutcomeFinalizer(context.getClient(), j, recorded));
  }

  /** MG_TEST_LAUNCH_PAUSE_MS: holds the launch inside its crash windows so fault injection can hit them. */
  private void pauseForTest() {
    if (testLaunchPause.isZero()) {
      return;
    }
    try {
      Thread.sleep(testLaunchPause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted in the test launch pause", e);
    }
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
    databases.forget(request);
    planSlots.forget(request, context.getPrimaryCache().list().toList()).forEach(slotFreed::propagateEvent);
    recorder.forget(request);
    // The Job is the request's dependent: the garbage collector deletes it once nothing holds it.
    MigrationRequestStatus last = request.getStatus();
    releaseJob(last, observed.job(), context);
    Statuses.planCheck(last).ifPresent(check -> releasePlanJob(check, observed.planRun(), context));
    return DeleteControl.defaultDelete();
  }

  private UpdateControl<MigrationRequest> reschedule(MigrationRequestStatus status) {
    // Sources and databases are not watched (watching every ConfigMap would cost memory in big
    // clusters): requests waiting on them look again after the recheck interval; a plan waiting to
    // be tried again looks at its retry time, when that comes first.
    if (status.phase == Phase.Pending || status.phase == Phase.Queued) {
      Duration next = Statuses.planCheck(status).map(check -> check.retryAt)
          .map(at -> Duration.between(recorder.now(), Instant.parse(at)).plusMillis(100))
          .filter(untilRetry -> untilRetry.compareTo(recheckInterval) < 0)
          .map(untilRetry -> untilRetry.isNegative() ? Duration.ZERO : untilRetry)
          .orElse(recheckInterval);
      return UpdateControl.<MigrationRequest>noUpdate().rescheduleAfter(next);
    }
    return UpdateControl.noUpdate();
  }
}
