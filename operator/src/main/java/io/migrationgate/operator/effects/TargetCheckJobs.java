package io.migrationgate.operator.effects;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import io.migrationgate.api.v1alpha1.MigrationTargetStatus;
import io.migrationgate.operator.lifecycle.JobFactory;
import io.migrationgate.operator.lifecycle.TargetChecks;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Creates and deletes MigrationTargets' check Jobs, at most {@code max} at a time across all
 * targets: with 200 targets and a 10-minute period that is one pod start every 3 seconds on
 * average, and never more than {@code max} check pods at once however many targets change together.
 * A Job created but not yet in the informer's cache still counts (it is remembered here until the
 * cache shows it, it is deleted, or its deadline passed), so two reconciles never both take the
 * last place, and a Job that came and went between two looks holds no place.
 */
public final class TargetCheckJobs {

  private final JobFactory jobs;
  private final int max;
  private final Clock clock;
  private final Map<String, Instant> created = new HashMap<>();

  public TargetCheckJobs(JobFactory jobs, int max, Clock clock) {
    this.jobs = jobs;
    this.max = max;
    this.clock = clock;
  }

  /** Why no check can start now, if the limit is reached; {@code running}: the check Jobs in the cache. */
  public synchronized Optional<String> create(MigrationTarget target, Collection<Job> running, KubernetesClient client) {
    Instant now = clock.instant();
    running.forEach(job -> created.remove(job.getMetadata().getName()));
    created.values().removeIf(at -> !now.isBefore(at.plus(TargetChecks.DEADLINE)));
    Set<String> counted = new HashSet<>(created.keySet());
    running.forEach(job -> counted.add(job.getMetadata().getName()));
    if (counted.size() >= max) {
      return Optional.of(counted.size() + " check Jobs are running, the most the operator runs at once");
    }
    Job job = jobs.buildCheck(target);
    job.getMetadata().setOwnerReferences(java.util.List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
        .withApiVersion(target.getApiVersion()).withKind(target.getKind()).withName(target.getMetadata().getName())
        .withUid(target.getMetadata().getUid()).withController(true).build()));
    try {
      client.resource(job).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // Its previous check Job is still being deleted: the next event of it brings the target back.
    }
    created.put(job.getMetadata().getName(), now);
    return Optional.empty();
  }

  /** A concluded check Job goes, with its pod; its outcome is in the target's status by now. */
  public void delete(Job job, KubernetesClient client) {
    synchronized (this) {
      created.remove(job.getMetadata().getName());
    }
    client.resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
  }

  /** Writes {@code status} when it differs from what the cached target has; the one writer of target status. */
  public static void writeStatus(MigrationTarget target, MigrationTargetStatus status, KubernetesClient client) {
    if (status.equals(target.getStatus())) {
      return;
    }
    MigrationTarget copy = new MigrationTarget();
    copy.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName(target.getMetadata().getName())
        .withResourceVersion(target.getMetadata().getResourceVersion()).build());
    copy.setSpec(target.getSpec());
    copy.setStatus(status);
    // With its resourceVersion: a status computed from a stale copy is refused (409) and recomputed.
    client.resource(copy).updateStatus();
  }
}
