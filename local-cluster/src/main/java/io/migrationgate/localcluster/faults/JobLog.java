package io.migrationgate.localcluster.faults;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.migrationgate.localcluster.faults.Checks.JobRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every Job created in the cluster from now on, plan Jobs and run Jobs, with the moment it was
 * first seen, deleted ones included: a list at the end would miss a Job that was created and then
 * deleted. Started before the first request.
 */
final class JobLog implements AutoCloseable {

  private final Map<String, JobRecord> seen = new ConcurrentHashMap<>();
  private final SharedIndexInformer<Job> informer;

  JobLog(KubernetesClient client) {
    informer = client.batch().v1().jobs().inAnyNamespace().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Job job) {
        record(job);
      }

      @Override
      public void onUpdate(Job before, Job after) {
        record(after);
      }

      @Override
      public void onDelete(Job job, boolean unknownFinalState) {
        record(job);
      }
    });
  }

  void record(Job job) {
    seen.computeIfAbsent(job.getMetadata().getUid(), uid -> of(job, Instant.now()));
  }

  static JobRecord of(Job job, Instant seenAt) {
    Map<String, String> labels = job.getMetadata().getLabels();
    // beside an inline database's request its controller reference; in the operator's namespace,
    // where a target's Jobs run and no owner reference reaches, the label the operator puts there
    String owner = job.getMetadata().getOwnerReferences().stream()
        .filter(o -> Boolean.TRUE.equals(o.getController()))
        .map(OwnerReference::getUid).findFirst()
        .orElse(labels == null ? null : labels.get("migrationgate.io/request-uid"));
    return new JobRecord(job.getMetadata().getUid(), job.getMetadata().getNamespace(), job.getMetadata().getName(),
        owner, labels == null ? null : labels.get("app.kubernetes.io/component"), seenAt);
  }

  List<JobRecord> records() {
    return List.copyOf(seen.values());
  }

  @Override
  public void close() {
    informer.close();
  }
}
