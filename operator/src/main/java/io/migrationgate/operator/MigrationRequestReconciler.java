package io.migrationgate.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.operator.RequestLifecycle.Action;
import io.migrationgate.operator.RequestLifecycle.CaptureEvidence;
import io.migrationgate.operator.RequestLifecycle.CreateSnapshot;
import io.migrationgate.operator.RequestLifecycle.LaunchJob;
import io.migrationgate.operator.RequestLifecycle.Observed;
import io.migrationgate.operator.RequestLifecycle.Step;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires JOSDK to the lifecycle: it gathers what the lifecycle needs, performs the one side effect
 * the lifecycle asks for, and writes status. Every decision lives in {@link RequestLifecycle} and
 * the policy classes it calls.
 */
@ControllerConfiguration(
    name = "migrationrequest",
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = RelevantChange.class),
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class MigrationRequestReconciler implements Reconciler<MigrationRequest>, Cleaner<MigrationRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(MigrationRequestReconciler.class);
  private static final Duration WAIT_FOR_JOB_ON_DELETE = Duration.ofSeconds(5);

  private final RequestLifecycle lifecycle;
  private final JobFactory jobFactory;
  private final DatabaseQueue queue;
  private final EventRecorder events;
  private final Duration recheckInterval;
  private final Duration testLaunchPause;

  public MigrationRequestReconciler(
      RequestLifecycle lifecycle, JobFactory jobFactory, DatabaseQueue queue, EventRecorder events,
      Duration recheckInterval, Duration testLaunchPause) {
    this.lifecycle = lifecycle;
    this.jobFactory = jobFactory;
    this.queue = queue;
    this.events = events;
    this.recheckInterval = recheckInterval;
    this.testLaunchPause = testLaunchPause;
  }

  @Override
  public List<EventSource<?, MigrationRequest>> prepareEventSources(EventSourceContext<MigrationRequest> context) {
    var jobs = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Job.class, MigrationRequest.class)
            .withLabelSelector(OwnedLabels.SELECTOR)
            .build(), context);
    var configMaps = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(ConfigMap.class, MigrationRequest.class)
            .withLabelSelector(OwnedLabels.SELECTOR)
            .build(), context);
    var pods = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, MigrationRequest.class)
            .withLabelSelector(OwnedLabels.SELECTOR)
            .withSecondaryToPrimaryMapper(pod -> Optional.ofNullable(pod.getMetadata().getAnnotations())
                .map(a -> a.get(OwnedLabels.REQUEST_ANNOTATION))
                .map(name -> Set.of(new ResourceID(name, pod.getMetadata().getNamespace())))
                .orElse(Set.of()))
            .build(), context);
    var namespaces = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Namespace.class, MigrationRequest.class)
            .withWatchAllNamespaces()
            .withFollowControllerNamespacesChanges(false)
            .withOnUpdateFilter((updated, previous) ->
                !Objects.equals(updated.getMetadata().getLabels(), previous.getMetadata().getLabels()))
            .withSecondaryToPrimaryMapper(ns -> context.getPrimaryCache()
                .list(ns.getMetadata().getName())
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet()))
            .withPrimaryToSecondaryMapper(
                (MigrationRequest r) -> Set.of(new ResourceID(r.getMetadata().getNamespace())))
            .build(), context);
    return List.of(jobs, configMaps, pods, namespaces);
  }

  @Override
  public UpdateControl<MigrationRequest> reconcile(MigrationRequest request, Context<MigrationRequest> context) {
    MigrationRequestStatus before = request.getStatus();
    Observed observed = observe(request, context);
    Decision decision = decide(observed, context);
    Step step = decision.step();
    MigrationRequest current = decision.request();
    for (int effects = 0; effects < 4 && !(step.action() instanceof RequestLifecycle.None); effects++) {
      Action action = step.action();
      if (action instanceof CreateSnapshot create) {
        observed = observed.withSnapshot(context.getClient().resource(create.snapshot()).create());
      } else if (action instanceof LaunchJob) {
        Job built = jobFactory.build(current);
        try {
          pauseForTest();
          Job job = context.getClient().resource(built).create();
          pauseForTest();
          current = StatusWriter.recordJob(current, job, context);
          observed = observed.with(current).withJob(job);
        } catch (KubernetesClientException e) {
          if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
            // Not ours until the lifecycle says so: its uid is recorded only once it is trusted.
            Job existing = context.getClient().resource(built).get();
            if (existing == null) {
              throw e;
            }
            observed = observed.with(current).withJob(existing);
          } else if (JobCreation.definitelyRefused(e)) {
            step = lifecycle.launchRefused(current, JobCreation.why(e));
            break;
          } else {
            throw e;
          }
        }
      } else if (action instanceof CaptureEvidence capture) {
        step.status().evidence = new EvidenceRecorder(context.getClient())
            .record(current, capture.observation(), capture.outcome());
        if (capture.stopJob()) {
          // Deleting the Job ends its pod, so it cannot start once the Secret appears.
          context.getClient().resource(observed.job().orElseThrow()).delete();
        }
        break;
      }
      decision = decide(observed, context);
      step = decision.step();
      current = decision.request();
    }
    current = StatusWriter.write(current, step.status(), context);
    if (step.status().phase.isFinal() || step.status().job == null) {
      queue.release(current);
    }
    if (step.status().phase.isFinal()) {
      String recorded = step.status().job == null ? null : step.status().job.uid;
      observed.job().ifPresent(job -> JobCreation.releaseOutcomeFinalizer(context.getClient(), job, recorded));
    }
    TransitionEvents.between(before, step.status()).forEach(e -> events.record(request, e));
    return reschedule(step.status().phase);
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

  private record Decision(Step step, MigrationRequest request) {}

  /**
   * Asks the lifecycle under the database's lock. A launch writes its marker (with the approval
   * latch) before the lock opens, so no other request on that database can launch meanwhile.
   */
  private Decision decide(Observed observed, Context<MigrationRequest> context) {
    return queue.exclusively(observed.request(), () -> {
      Step step = lifecycle.next(observed);
      if (!(step.action() instanceof LaunchJob)) {
        return new Decision(step, observed.request());
      }
      MigrationRequest marked = StatusWriter.write(observed.request(), step.status(), context);
      queue.claim(marked);
      return new Decision(step, marked);
    });
  }

  @Override
  public DeleteControl cleanup(MigrationRequest request, Context<MigrationRequest> context) {
    MigrationRequestStatus status = request.getStatus();
    Observed observed = observe(request, context);
    if (status != null && status.job != null && !status.phase.isFinal()) {
      Step step = lifecycle.next(observed);
      if (step.status().phase == Phase.Running && !(step.action() instanceof LaunchJob)) {
        events.record(request, new TransitionEvents.Event("WaitingForJob",
            "deletion waits for Job " + status.job.name + " to finish, so its result is recorded", false));
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(WAIT_FOR_JOB_ON_DELETE);
      }
      if (!(step.action() instanceof LaunchJob) && step.status().phase.isFinal()) {
        reconcile(request, context);
      }
    }
    queue.release(request);
    // The Job is the request's dependent: the garbage collector deletes it once nothing holds it.
    String recorded = status == null || status.job == null ? null : status.job.uid;
    observed.job().ifPresent(job -> JobCreation.releaseOutcomeFinalizer(context.getClient(), job, recorded));
    return DeleteControl.defaultDelete();
  }

  private Observed observe(MigrationRequest request, Context<MigrationRequest> context) {
    String namespace = request.getMetadata().getNamespace();
    MigrationRequestStatus status = request.getStatus();
    Optional<Job> job = status == null || status.job == null ? Optional.empty()
        : recordedOrNamed(context.getSecondaryResources(Job.class), status.job.uid, status.job.name,
            () -> context.getClient().batch().v1().jobs().inNamespace(namespace).withName(status.job.name).get());
    Optional<Pod> pod = job.flatMap(j -> context.getSecondaryResources(Pod.class).stream()
        .filter(p -> TrustedObjects.isPodOf(p, j))
        .max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp())));
    Optional<ConfigMap> snapshot = status == null || status.plan == null || status.plan.snapshot == null
        ? Optional.empty()
        : recordedOrNamed(context.getSecondaryResources(ConfigMap.class), status.plan.snapshotUid,
            status.plan.snapshot,
            () -> context.getClient().configMaps().inNamespace(namespace).withName(status.plan.snapshot).get());
    return new Observed(
        request,
        labelsOf(context.getSecondaryResource(Namespace.class)),
        () -> labelsOf(Optional.ofNullable(context.getClient().namespaces().withName(namespace).get())),
        () -> Optional.ofNullable(context.getClient().configMaps().inNamespace(namespace)
            .withName(request.getSpec().migrations.configMap.name).get()),
        snapshot,
        job,
        pod,
        () -> queue.ahead(request, context.getPrimaryCache().list().toList()));
  }

  /** A namespace's labels; null when the namespace cannot be seen, so the production guard fails closed. */
  private static Map<String, String> labelsOf(Optional<Namespace> namespace) {
    return namespace.map(ns -> ns.getMetadata().getLabels() == null ? Map.<String, String>of() : ns.getMetadata().getLabels())
        .orElse(null);
  }

  /**
   * The object status points at: from the cache, or from the API server when the cache has not
   * caught up with an object created a moment ago. With a uid recorded only that very object under
   * that very name counts (status names what gets mounted, so both must agree); before that, whatever
   * has the name, for the lifecycle to judge.
   */
  private static <T extends HasMetadata> Optional<T> recordedOrNamed(
      Set<T> cached, String uid, String name, Supplier<T> live) {
    Optional<T> found = cached.stream()
        .filter(o -> name.equals(o.getMetadata().getName()) && (uid == null || uid.equals(o.getMetadata().getUid())))
        .findFirst();
    if (found.isEmpty()) {
      found = Optional.ofNullable(live.get()).filter(o -> uid == null || uid.equals(o.getMetadata().getUid()));
    }
    return found;
  }

  private UpdateControl<MigrationRequest> reschedule(Phase phase) {
    // Sources and databases are not watched (watching every ConfigMap would cost memory in big
    // clusters): requests waiting on them look again after the recheck interval.
    if (phase == Phase.Pending || phase == Phase.Queued) {
      return UpdateControl.<MigrationRequest>noUpdate().rescheduleAfter(recheckInterval);
    }
    return UpdateControl.noUpdate();
  }
}
