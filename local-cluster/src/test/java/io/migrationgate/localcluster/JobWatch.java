package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Every Job of a namespace's requests created from now on, by uid, including ones that exist only
 * for a moment (a get or list after the fact would miss a Job created and deleted in between): the
 * Jobs in the namespace itself (an inline database's, or anyone's) and those the operator creates
 * for its requests in the runs namespace (a MigrationTarget's). Jobs that already existed (the plan
 * Job of a request awaiting approval, say) are left out.
 */
final class JobWatch implements AutoCloseable {
  private final Map<String, Job> byUid = new ConcurrentHashMap<>();
  private final Map<String, Job> deleted = new ConcurrentHashMap<>();
  private final List<FilterWatchListDeletable<Job, JobList, ScalableResource<Job>>> sources;
  private final Set<String> before;
  private final List<SharedIndexInformer<Job>> informers;

  JobWatch(KubernetesClient client, String namespace) {
    sources = List.of(client.batch().v1().jobs().inNamespace(namespace),
        client.batch().v1().jobs().inNamespace(ChartRelease.NAMESPACE)
            .withLabel("migrationgate.io/request-namespace", namespace));
    before = sources.stream().flatMap(jobs -> jobs.list().getItems().stream())
        .map(j -> j.getMetadata().getUid()).collect(Collectors.toUnmodifiableSet());
    informers = sources.stream().map(this::inform).toList();
  }

  private SharedIndexInformer<Job> inform(FilterWatchListDeletable<Job, JobList, ScalableResource<Job>> jobs) {
    return jobs.inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Job job) {
        if (isNew(job)) {
          byUid.put(job.getMetadata().getUid(), job);
        }
      }

      @Override
      public void onUpdate(Job before, Job after) {
        if (isNew(after)) {
          byUid.put(after.getMetadata().getUid(), after);
        }
      }

      @Override
      public void onDelete(Job job, boolean unknownFinalState) {
        if (isNew(job)) {
          byUid.putIfAbsent(job.getMetadata().getUid(), job);
          deleted.put(job.getMetadata().getUid(), job);
        }
      }
    });
  }

  private boolean isNew(Job job) {
    return !before.contains(job.getMetadata().getUid());
  }

  /** Every Job seen, by uid, as last seen. */
  Map<String, Job> seen() {
    return Map.copyOf(byUid);
  }

  /** A Job seen with this name (the latest, should there be several). */
  Job named(String name) {
    return byUid.values().stream().filter(j -> j.getMetadata().getName().equals(name))
        .max(java.util.Comparator.comparing(j -> j.getMetadata().getCreationTimestamp())).orElse(null);
  }

  /** The uids of the Jobs seen deleted. */
  Set<String> deletedUids() {
    return Set.copyOf(deleted.keySet());
  }

  /**
   * Fails, naming them, when a Job matching {@code forbidden} was seen or exists now. Called once the
   * operator has recorded its decision: a Job it created before that exists by then, and the list
   * finds it even when the watch's event is still on its way.
   */
  void assertNone(Predicate<Job> forbidden, String why) {
    Map<String, Job> all = new HashMap<>(byUid);
    sources.stream().flatMap(jobs -> jobs.list().getItems().stream()).filter(this::isNew)
        .forEach(job -> all.putIfAbsent(job.getMetadata().getUid(), job));
    assertThat(all.values().stream().filter(forbidden).map(JobWatch::describe).toList()).as(why).isEmpty();
  }

  void assertNoJob(String why) {
    assertNone(job -> true, why);
  }

  static String describe(Job job) {
    return "Job " + job.getMetadata().getName() + " uid " + job.getMetadata().getUid() + " volumes "
        + job.getSpec().getTemplate().getSpec().getVolumes().stream()
            .map(v -> v.getConfigMap() == null ? v.getName() : v.getName() + "=configMap:" + v.getConfigMap().getName())
            .toList();
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
