package io.migrationgate.operator.watch;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.operator.lifecycle.ConfigMapDigest;
import java.util.HashMap;
import java.util.Map;

/**
 * What the operator's informer caches keep of each object: what the operator reads, not the whole
 * object. The caches hold every request and everything it owns for as long as they exist, so what
 * they keep is most of the operator's heap (docs/operations.md, "Memory, threads and start-up").
 *
 * <ul>
 *   <li>No object keeps {@code metadata.managedFields}: the operator never reads it, and it is
 *       often the largest part of a small object.
 *   <li>A pod keeps its metadata and status (which container ran, how it ended), not its spec.
 *   <li>A Job keeps its metadata, status and settings, not its pod template: only a Job whose uid
 *       status has not recorded yet (after a crash inside the launch) is judged by its template, and
 *       RequestObserver reads such a Job from the API server.
 *   <li>A ConfigMap keeps its metadata and the digest of its data, not the data: a snapshot can hold
 *       up to 1 MiB of scripts, and the launch needs only to know they are still the planned ones.
 * </ul>
 *
 * Objects read from the API server (a create's answer, a live read when the cache is behind) are
 * whole; {@link ConfigMapDigest} gives a ConfigMap's digest from either.
 */
public final class CachedCopies {

  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private CachedCopies() {}

  public static ItemStore<Job> jobs() {
    return new TransformingItemStore<>(job -> {
      if (withoutManagedFields(job).getSpec() != null) {
        job.getSpec().setTemplate(null);
      }
      return job;
    });
  }

  public static ItemStore<Namespace> namespaces() {
    return new TransformingItemStore<>(CachedCopies::withoutManagedFields);
  }

  public static ItemStore<Pod> pods() {
    return new TransformingItemStore<>(pod -> {
      withoutManagedFields(pod).setSpec(null);
      return pod;
    });
  }

  public static ItemStore<ConfigMap> configMaps() {
    return new TransformingItemStore<>(configMap -> new ConfigMapDigest.Cached(withoutManagedFields(configMap)));
  }

  /** The primary cache's store; JOSDK builds it from its class, so it has a no-argument constructor. */
  public static final class Requests extends TransformingItemStore<MigrationRequest> {
    public Requests() {
      super(CachedCopies::request);
    }
  }

  /**
   * A request keeps all it says, in fewer objects: the status is the operator's record and is
   * compared with the next one, so nothing of it is dropped. Its conditions repeat one message (six
   * of eight carry the Ready message) and one time, and every request uses the same few types and
   * reasons, which JSON parsing makes separate strings of; here equal ones are one string. The
   * last-applied annotation that client-side kubectl apply and Argo CD write is a second copy of the
   * spec, which the operator never reads.
   */
  static MigrationRequest request(MigrationRequest request) {
    withoutManagedFields(request);
    Map<String, String> annotations = request.getMetadata().getAnnotations();
    if (annotations != null) {
      annotations.remove(LAST_APPLIED);
    }
    if (request.getStatus() != null && request.getStatus().conditions != null) {
      Map<String, String> seen = new HashMap<>();
      for (Condition condition : request.getStatus().conditions) {
        condition.setType(interned(condition.getType()));
        condition.setStatus(interned(condition.getStatus()));
        condition.setReason(interned(condition.getReason()));
        condition.setMessage(shared(seen, condition.getMessage()));
        condition.setLastTransitionTime(shared(seen, condition.getLastTransitionTime()));
      }
    }
    return request;
  }

  /** Types, statuses and reasons come from a few dozen words, the same in every request. */
  private static String interned(String value) {
    return value == null ? null : value.intern();
  }

  private static String shared(Map<String, String> seen, String value) {
    return value == null ? null : seen.computeIfAbsent(value, v -> v);
  }

  private static <R extends HasMetadata> R withoutManagedFields(R object) {
    object.getMetadata().setManagedFields(null);
    return object;
  }
}
