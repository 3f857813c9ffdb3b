package io.migrationgate.operator.effects;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.migrationgate.operator.lifecycle.JobFactory;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Set;

/**
 * Creating a Job, what the API server's answer means, and the end of the operator's hold on a Job.
 * Only an answer that proves nothing was created lets a launch marker go; a timeout or a server
 * error might hide a created Job, so it propagates, the marker stays and the next attempt finds
 * out. A Job already at the name (409) is never adopted here: the lifecycle judges it
 * (TrustedObjects), and its uid is recorded only once it is trusted.
 */
public final class JobLauncher {

  /** What creating a Job came to. */
  public sealed interface Outcome {}

  /** The Job was created now. */
  public record Created(Job job) implements Outcome {}

  /** A Job was already at the name, for the lifecycle to judge. */
  public record Found(Job job) implements Outcome {}

  /** The API server refused, and nothing was created. */
  public record Refused(String why) implements Outcome {}

  /** The refusals of admission, quota, RBAC and validation (AlreadyExists is the caller's own case). */
  private static final Set<Integer> DEFINITE = Set.of(400, 403, 404, 422);

  private final Duration testLaunchPause;

  /** {@code testLaunchPause} is MG_TEST_LAUNCH_PAUSE_MS: zero but in fault injection. */
  public JobLauncher(Duration testLaunchPause) {
    this.testLaunchPause = testLaunchPause;
  }

  /** Creates the run's Job; a refusal that proves nothing was created is an answer, any other failure propagates. */
  public Outcome createJob(Job built, KubernetesClient client) {
    try {
      return new Created(create(built, client));
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return new Found(existing(built, client, e));
      }
      if (DEFINITE.contains(e.getCode())) {
        return new Refused(why(e));
      }
      throw e;
    }
  }

  /**
   * Creates a plan Job. A plan Job is read-only, so one the operator finds at its name is judged by
   * the lifecycle (its launch token) like the one it created; any other failure propagates.
   */
  public Job createPlanJob(Job built, KubernetesClient client) {
    try {
      return create(built, client);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      return existing(built, client, e);
    }
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

  /** What the API server said, without the client's request line around it. */
  public static String why(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
  }

  /** The create, inside the crash windows that fault injection widens. */
  private Job create(Job built, KubernetesClient client) {
    pauseForTest();
    Job created = client.resource(built).create();
    pauseForTest();
    return created;
  }

  /** The Job a 409 says exists; gone again by now means the conflict is not understood, so it propagates. */
  private static Job existing(Job built, KubernetesClient client, KubernetesClientException conflict) {
    Job existing = client.resource(built).get();
    if (existing == null) {
      throw conflict;
    }
    return existing;
  }

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
}
