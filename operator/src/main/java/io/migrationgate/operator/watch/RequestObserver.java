package io.migrationgate.operator.watch;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import io.migrationgate.operator.effects.DatabaseClaims;
import io.migrationgate.operator.effects.PlanJobSlots;
import io.migrationgate.operator.lifecycle.Observed;
import io.migrationgate.operator.lifecycle.PlanRun;
import io.migrationgate.operator.lifecycle.RunPlacement;
import io.migrationgate.operator.lifecycle.Statuses;
import io.migrationgate.operator.lifecycle.TargetAddresses;
import io.migrationgate.operator.lifecycle.TrustedObjects;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the lifecycle decides on: the request, its namespace's labels, its snapshot, its Job and
 * plan Job and their pods, with suppliers for what is read only when a decision gets that far (the
 * namespace read live, the source ConfigMap, who is ahead on the database, a plan Job slot). Two
 * rules of looking are stated here and nowhere else:
 *
 * <ul>
 *   <li>A namespace the operator cannot see has no labels (null, not empty), which the production
 *       guard refuses: missing namespace labels fail closed.
 *   <li>The pod that counts for a Job is the newest one the Job controller labelled for that Job and
 *       that the Job controls ({@link TrustedObjects#isPodOf}); a decoy with the runner's labels is
 *       not one.
 * </ul>
 */
public final class RequestObserver {

  /** Where an observation is read from: the operator's caches, and the API server where a cache may be behind. */
  public interface Sources {
    Set<Job> cachedJobs();

    Set<Pod> cachedPods();

    Set<ConfigMap> cachedConfigMaps();

    Optional<Namespace> cachedNamespace();

    /** The MigrationTarget the request names, from the cache. */
    Optional<MigrationTarget> cachedTarget();

    /** Every MigrationTarget, from the cache: an inline database must not be a production target's. */
    List<MigrationTarget> cachedTargets();

    List<MigrationRequest> cachedRequests();

    Optional<Job> liveJob(String namespace, String name);

    Optional<ConfigMap> liveConfigMap(String namespace, String name);

    Optional<Namespace> liveNamespace(String name);
  }

  private final DatabaseClaims databases;
  private final PlanJobSlots planSlots;
  private final RunPlacement placement;

  public RequestObserver(DatabaseClaims databases, PlanJobSlots planSlots, RunPlacement placement) {
    this.databases = databases;
    this.planSlots = planSlots;
    this.placement = placement;
  }

  public Observed observe(MigrationRequest request, Context<MigrationRequest> context) {
    return observe(request, new ContextSources(context));
  }

  public Observed observe(MigrationRequest request, Sources sources) {
    String namespace = request.getMetadata().getNamespace();
    String runs = placement.namespaceOf(request);
    MigrationRequestStatus status = request.getStatus();
    Optional<Job> job = status == null || status.job == null ? Optional.empty()
        : job(sources, runs, status.job.uid, status.job.name);
    Optional<Job> planJob = Statuses.planCheck(status).filter(check -> check.job != null)
        .flatMap(check -> job(sources, runs, check.jobUid, check.job));
    Optional<ConfigMap> snapshot = status == null || status.plan == null || status.plan.snapshot == null
        ? Optional.empty()
        : recordedOrNamed(sources.cachedConfigMaps(), runs, status.plan.snapshotUid, status.plan.snapshot,
            () -> sources.liveConfigMap(runs, status.plan.snapshot));
    PlanRun planRun = PlanRun.none().withSlotWait(() -> planSlots.waitReason(request, sources.cachedRequests()));
    planRun = planJob.map(planRun::withJob).orElse(planRun);
    planRun = podOf(planJob, sources).map(planRun::withPod).orElse(planRun);
    return Observed.of(request)
        .namespaceLabels(labelsOf(sources.cachedNamespace()))
        .liveNamespaceLabels(() -> labelsOf(sources.liveNamespace(namespace)))
        .source(() -> sources.liveConfigMap(namespace, request.getSpec().migrations.configMap.name))
        .snapshot(snapshot)
        .job(job)
        .pod(podOf(job, sources))
        .databaseAhead(() -> databases.ahead(request, sources.cachedRequests()))
        .planRun(planRun)
        .target(RunPlacement.namesTarget(request) ? sources.cachedTarget()
            : Optional.ofNullable(request.getSpec().database).map(database -> database.url)
                .flatMap(url -> TargetAddresses.productionAt(url, namespace, sources.cachedTargets(),
                    placement.runsNamespace())))
        .build();
  }

  /**
   * A Job whose uid status records, from the cache; one whose uid is not recorded yet (a launch cut
   * short by a crash) from the API server, since its pod template decides whether it is the
   * operator's own (TrustedObjects) and the cache does not keep templates (CachedCopies).
   */
  private static Optional<Job> job(Sources sources, String namespace, String uid, String name) {
    Supplier<Optional<Job>> live = () -> sources.liveJob(namespace, name);
    return uid == null ? live.get() : recordedOrNamed(sources.cachedJobs(), namespace, uid, name, live);
  }

  /** The pod that counts for {@code job}: the newest of its own pods. */
  private static Optional<Pod> podOf(Optional<Job> job, Sources sources) {
    return job.flatMap(j -> sources.cachedPods().stream()
        .filter(p -> TrustedObjects.isPodOf(p, j))
        .max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp())));
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
      Set<T> cached, String namespace, String uid, String name, Supplier<Optional<T>> live) {
    Optional<T> found = cached.stream()
        .filter(o -> namespace.equals(o.getMetadata().getNamespace()) && name.equals(o.getMetadata().getName())
            && (uid == null || uid.equals(o.getMetadata().getUid())))
        .findFirst();
    if (found.isEmpty()) {
      found = live.get().filter(o -> uid == null || uid.equals(o.getMetadata().getUid()));
    }
    return found;
  }

  /** A reconcile's caches and client. */
  private record ContextSources(Context<MigrationRequest> context) implements Sources {
    @Override
    public Set<Job> cachedJobs() {
      return context.getSecondaryResources(Job.class);
    }

    @Override
    public Set<Pod> cachedPods() {
      return context.getSecondaryResources(Pod.class);
    }

    @Override
    public Set<ConfigMap> cachedConfigMaps() {
      return context.getSecondaryResources(ConfigMap.class);
    }

    @Override
    public Optional<Namespace> cachedNamespace() {
      return context.getSecondaryResource(Namespace.class);
    }

    @Override
    public Optional<MigrationTarget> cachedTarget() {
      return context.getSecondaryResource(MigrationTarget.class);
    }

    @Override
    public List<MigrationTarget> cachedTargets() {
      return ((InformerEventSource<MigrationTarget, MigrationRequest>) context.eventSourceRetriever()
          .getEventSourceFor(MigrationTarget.class)).list().toList();
    }

    @Override
    public List<MigrationRequest> cachedRequests() {
      return context.getPrimaryCache().list().toList();
    }

    @Override
    public Optional<Job> liveJob(String namespace, String name) {
      return Optional.ofNullable(context.getClient().batch().v1().jobs().inNamespace(namespace).withName(name).get());
    }

    @Override
    public Optional<ConfigMap> liveConfigMap(String namespace, String name) {
      return Optional.ofNullable(context.getClient().configMaps().inNamespace(namespace).withName(name).get());
    }

    @Override
    public Optional<Namespace> liveNamespace(String name) {
      return Optional.ofNullable(context.getClient().namespaces().withName(name).get());
    }
  }
}
