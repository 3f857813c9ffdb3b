package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * At most one Job per request, also when the operator crashes after creating
 * the Job and before recording its uid, and the Job is then deleted (by hand, by a TTL policy). The
 * operator's finalizer keeps the Job until its outcome is in status; a Job that disappears anyway
 * ends the request JobLost and is never replaced.
 */
@ExtendWith(SharedClusters.class)
class JobVanishesBeforeUidIT {

  private final GuardedCluster g;

  JobVanishesBeforeUidIT(GuardedCluster guarded) {
    this.g = guarded;
  }

  Job liveJob(String namespace, String name) {
    // a target's Jobs run in the operator's namespace
    return g.client.batch().v1().jobs().inNamespace(ChartRelease.NAMESPACE).withName(name).get();
  }

  @Test
  void jobDeletedWhileTheOperatorIsDownBeforeItsUidWasRecordedIsKeptUntilItsOutcomeAndNeverRelaunched()
      throws Exception {
    String ns = "vanish-before-uid";
    g.awaitingApproval(ns, "orders", Fixtures.slowOrders(3));
    String job = GuardedCluster.jobName("orders", g.uid(ns, "orders"));

    try (JobWatch jobs = g.watchJobs(ns)) {
      g.approve(ns, "orders");
      await().atMost(GuardedCluster.LAUNCHED).pollInterval(Duration.ofMillis(100)).until(() -> !jobs.seen().isEmpty());
      Job deleting;
      try {
        g.killOperator();
        // the crash window: the Job exists, status names it (the launch marker) but has no uid for it
        g.forgeStatus(ns, "orders", "{\"status\": {\"job\": {\"uid\": null}}}");
        GuardedCluster.require(g.admin.run("delete", "job", job, "-n", ChartRelease.NAMESPACE, "--wait=false"));
        deleting = liveJob(ns, job);
        g.release.startOperator();
      } finally {
        g.ensureOperatorRunning();
      }

      JsonNode status = g.awaitFinished(ns, "orders").path("status");
      assertThat(jobs.seen().values()).as("every Job ever seen in %s", ns)
          .extracting(j -> j.getMetadata().getName() + " uid " + j.getMetadata().getUid())
          .hasSize(1);

      assertThat(deleting).as("Job %s right after kubectl delete, while the operator was down", job).isNotNull();
      assertThat(deleting.getMetadata().getDeletionTimestamp()).as("it is terminating").isNotNull();
      assertThat(deleting.getMetadata().getFinalizers()).as("its finalizers").contains(GuardedCluster.JOB_FINALIZER);

      assertThat(status.at("/job/uid").asText()).as("status.job.uid").isEqualTo(jobs.seen().keySet().iterator().next());
      assertThat(status.at("/result/exitCode").isMissingNode()).as("status.result: %s", status.path("result")).isFalse();
      // the outcome is recorded: the operator lets the deletion finish
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertThat(liveJob(ns, job)).as("Job %s after its outcome was recorded", job).isNull());
    }
  }

  @Test
  void jobWhoseFinalizerTheAdminStripsAndDeletesMidRunEndsTheRequestJobLostAndIsNeverReplaced() throws Exception {
    String ns = "vanish-stripped";
    g.awaitingApproval(ns, "orders", Fixtures.slowOrders(6));

    try (JobWatch jobs = g.watchJobs(ns)) {
      g.approve(ns, "orders");
      String job = g.awaitJobRecorded(ns, "orders").at("/status/job/name").asText();
      assertThat(liveJob(ns, job).getMetadata().getFinalizers()).as("finalizers of the running Job %s", job)
          .contains(GuardedCluster.JOB_FINALIZER);

      GuardedCluster.require(g.admin.run("patch", "job", job, "-n", ChartRelease.NAMESPACE, "--type=merge",
          "-p", "{\"metadata\": {\"finalizers\": null}}"));
      GuardedCluster.require(g.admin.run("delete", "job", job, "-n", ChartRelease.NAMESPACE, "--wait=false"));

      g.awaitVerdict(ns, "orders", "Failed", "Failed", "JobLost", Duration.ofSeconds(30));
      // Failed is final: nothing may follow it, and nothing did before
      assertThat(jobs.seen().values()).as("every Job ever seen in %s", ns)
          .extracting(j -> j.getMetadata().getName() + " uid " + j.getMetadata().getUid())
          .hasSize(1);
      assertThat(List.copyOf(jobs.seen().keySet())).containsExactly(g.request(ns, "orders").at("/status/job/uid").asText());
    }
  }
}
