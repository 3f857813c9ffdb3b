package io.migrationgate.localcluster.planload;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The operator's Jobs through one watch of every namespace: how many plan Jobs and run Jobs are
 * active at once, in total and per database, at their peak, and every moment two run Jobs were
 * active on one database. A Job is active from its creation until it is Complete, Failed or gone.
 * One watch delivers its events in the API server's order, so a Job created after the operator saw
 * another finish is never counted beside it.
 */
final class JobActivity implements AutoCloseable {

  static final String COMPONENT = "app.kubernetes.io/component";
  static final String PLAN = "check";
  static final String RUN = "runner";
  private static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  private static final String REQUEST_ANNOTATION = "migrationgate.io/request";

  private record Active(String name, String component, String database) {}

  /** "namespace/request" to the request's database; null for Jobs of requests not in the load. */
  private final Function<String, String> databaseOf;
  private final Map<String, Active> active = new HashMap<>();
  private final Set<String> seen = new HashSet<>();
  private final Map<String, Integer> created = new HashMap<>();
  private final Map<String, Peak> peaks = new HashMap<>();
  private final List<String> runOverlaps = new ArrayList<>();
  private final SharedIndexInformer<Job> informer;

  JobActivity(KubernetesClient admin, Function<String, String> databaseOf) {
    this.databaseOf = databaseOf;
    informer = admin.batch().v1().jobs().inAnyNamespace().withLabel(MANAGED_BY, "migration-gate")
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Job job) {
            seen(job);
          }

          @Override
          public void onUpdate(Job old, Job job) {
            seen(job);
          }

          @Override
          public void onDelete(Job job, boolean unknownFinalState) {
            ended(job);
          }
        });
  }

  private synchronized void seen(Job job) {
    String uid = job.getMetadata().getUid();
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    Map<String, String> labels = job.getMetadata().getLabels();
    // a target's Jobs run in the operator's namespace; the label names their request's
    String requestNamespace = labels == null ? job.getMetadata().getNamespace()
        : labels.getOrDefault("migrationgate.io/request-namespace", job.getMetadata().getNamespace());
    String database = databaseOf.apply(RequestStates.key(requestNamespace,
        annotations == null ? "" : annotations.getOrDefault(REQUEST_ANNOTATION, "")));
    String component = job.getMetadata().getLabels().getOrDefault(COMPONENT, "");
    if (database == null) {
      return;
    }
    if (seen.add(uid)) {
      created.merge(component, 1, Integer::sum);
    }
    if (finished(job) || job.getMetadata().getDeletionTimestamp() != null) {
      active.remove(uid);
      return;
    }
    if (active.containsKey(uid)) {
      return;
    }
    if (RUN.equals(component)) {
      active.values().stream().filter(a -> RUN.equals(a.component()) && database.equals(a.database()))
          .forEach(a -> runOverlaps.add(job.getMetadata().getNamespace() + "/" + job.getMetadata().getName()
              + " started while " + a.name() + " was active on database " + database));
    }
    active.put(uid, new Active(job.getMetadata().getNamespace() + "/" + job.getMetadata().getName(), component,
        database));
    raise(component + " total", count(component, null));
    raise(component + " per database", count(component, database));
  }

  private synchronized void ended(Job job) {
    active.remove(job.getMetadata().getUid());
  }

  private static boolean finished(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return false;
    }
    for (JobCondition condition : job.getStatus().getConditions()) {
      if (("Complete".equals(condition.getType()) || "Failed".equals(condition.getType()))
          && "True".equals(condition.getStatus())) {
        return true;
      }
    }
    return false;
  }

  private int count(String component, String database) {
    return (int) active.values().stream()
        .filter(a -> a.component().equals(component) && (database == null || database.equals(a.database()))).count();
  }

  private void raise(String what, int value) {
    peaks.put(what, peaks.getOrDefault(what, Peak.none()).raise(value));
  }

  synchronized Peak peakTotal(String component) {
    return peaks.getOrDefault(component + " total", Peak.none());
  }

  synchronized Peak peakPerDatabase(String component) {
    return peaks.getOrDefault(component + " per database", Peak.none());
  }

  synchronized int created(String component) {
    return created.getOrDefault(component, 0);
  }

  synchronized List<String> runOverlaps() {
    return List.copyOf(runOverlaps);
  }

  @Override
  public void close() {
    informer.close();
  }
}
