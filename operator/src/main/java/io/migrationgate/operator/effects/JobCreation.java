package io.migrationgate.operator.effects;

import io.migrationgate.operator.lifecycle.JobFactory;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Set;

/**
 * What a failed Job create means, and the end of the operator's hold on a Job. Only an answer that
 * proves nothing was created lets the launch marker go; a timeout or a server error might hide a
 * created Job, so the marker stays and the next attempt finds out.
 */
public final class JobCreation {

  /** The refusals of admission, quota, RBAC and validation (AlreadyExists is the caller's own case). */
  private static final Set<Integer> DEFINITE = Set.of(400, 403, 404, 422);

  private JobCreation() {}

  public static boolean definitelyRefused(KubernetesClientException e) {
    return DEFINITE.contains(e.getCode());
  }

  /** What the API server said, without the client's request line around it. */
  public static String why(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
  }

  /**
   * Lets the garbage collector and people delete the Job once its uid and outcome are in status;
   * a Job the operator did not record is never touched.
   */
  public static void releaseOutcomeFinalizer(KubernetesClient client, Job job, String recordedUid) {
    if (recordedUid == null || !recordedUid.equals(job.getMetadata().getUid())
        || job.getMetadata().getFinalizers() == null
        || !job.getMetadata().getFinalizers().contains(JobFactory.OUTCOME_FINALIZER)) {
      return;
    }
    client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
        .edit(j -> {
          if (recordedUid.equals(j.getMetadata().getUid())) {
            j.getMetadata().getFinalizers().remove(JobFactory.OUTCOME_FINALIZER);
          }
          return j;
        });
  }
}
