package io.migrationgate.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
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
import io.migrationgate.api.v1alpha1.EvidenceStatus;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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

  public MigrationRequestReconciler(
      RequestLifecycle lifecycle, JobFactory jobFactory, DatabaseQueue queue, EventRecorder events,
      Duration recheckInterval) {
    this.lifecycle = lifecycle;
    this.jobFactory = jobFactory;
    this.queue = queue;
    this.events = events;
    this.recheckInterval = recheckInterval;
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
        observed = observed.withSnapshot(OwnedObjects.createOrAdopt(context.getClient(), create.snapshot(), current));
      } else if (action instanceof LaunchJob) {
        Job job = OwnedObjects.createOrAdopt(context.getClient(), jobFactory.build(current), current);
        current = StatusWriter.recordJob(current, job, context);
        observed = observed.with(current).withJob(job);
      } else if (action instanceof CaptureEvidence capture) {
        step.status().evidence = new EvidenceStatus();
        step.status().evidence.configMap = new EvidenceRecorder(context.getClient())
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
    if (step.status().phase.isFinal()) {
      queue.release(current);
    }
    TransitionEvents.between(before, step.status()).forEach(e -> events.record(request, e));
    return reschedule(step.status().phase);
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
    if (status != null && status.job != null && !status.phase.isFinal()) {
      Step step = lifecycle.next(observe(request, context));
      if (step.action() instanceof LaunchJob) {
        // The marker was written but the Job never created: nothing ran, nothing to wait for.
        queue.release(request);
        return DeleteControl.defaultDelete();
      }
      if (step.status().phase == Phase.Running) {
        events.record(request, new TransitionEvents.Event("WaitingForJob",
            "deletion waits for Job " + status.job.name + " to finish, so its result is recorded", false));
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(WAIT_FOR_JOB_ON_DELETE);
      }
      reconcile(request, context);
    }
    queue.release(request);
    return DeleteControl.defaultDelete();
  }

  private Observed observe(MigrationRequest request, Context<MigrationRequest> context) {
    String namespace = request.getMetadata().getNamespace();
    Optional<Job> job = context.getSecondaryResources(Job.class).stream()
        .filter(j -> OwnedLabels.isOwnedBy(j, request))
        .findFirst();
    if (job.isEmpty() && request.getStatus() != null && request.getStatus().job != null) {
      // The cache may not have caught up with a Job created a moment ago: ask the API server.
      job = Optional.ofNullable(context.getClient().batch().v1().jobs().inNamespace(namespace)
          .withName(request.getStatus().job.name).get());
    }
    Optional<Pod> pod = context.getSecondaryResources(Pod.class).stream()
        .filter(p -> p.getMetadata().getOwnerReferences().stream().anyMatch(ref -> "Job".equals(ref.getKind())))
        .max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()));
    Optional<ConfigMap> snapshot = context.getSecondaryResources(ConfigMap.class).stream()
        .filter(cm -> cm.getMetadata().getName().equals(ResourceNames.snapshot(request)))
        .findFirst();
    var labels = context.getSecondaryResource(Namespace.class).map(ns -> ns.getMetadata().getLabels())
        .map(l -> l == null ? java.util.Map.<String, String>of() : l)
        .orElse(null);
    return new Observed(
        request,
        labels,
        () -> Optional.ofNullable(context.getClient().configMaps().inNamespace(namespace)
            .withName(request.getSpec().migrations.configMap.name).get()),
        snapshot,
        job,
        pod,
        () -> queue.ahead(request, context.getPrimaryCache().list().toList()));
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
