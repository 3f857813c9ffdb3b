package io.migrationgate.localcluster;

import static io.migrationgate.localcluster.GuardedCluster.VERDICT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A launch the API server refused (a full Job quota, or an admission policy, in the operator's
 * namespace where a target's Jobs run) must not be resumed later without the checks a first launch
 * makes. Meanwhile the namespace may have become production or
 * the approver may have rejected; and the refused request must not keep its database's queue slot.
 */
@ExtendWith(SharedClusters.class)
class JobQuotaRelaunchIT {

  private final GuardedCluster g;

  JobQuotaRelaunchIT(GuardedCluster guarded) {
    this.g = guarded;
  }

  /** A request waiting for its approver, in a namespace for whose requests from then on no Job may be created. */
  void awaitingApprovalUnderAJobQuota(String namespace, String name, String url) {
    g.createNamespace(namespace);
    g.awaitingApproval(namespace, name, url, Fixtures.orders());
    // after the plan, whose Job would be refused too: the refusal under test is the run Job's
    g.refuseJobsOf(namespace);
  }

  /** Such a request, approved, and its Job refused by the API server. */
  void approvedAndRefusedByQuota(String namespace, String name, String url) {
    awaitingApprovalUnderAJobQuota(namespace, name, url);
    g.approve(namespace, name);
    awaitJobRefusedByQuota(namespace, name);
  }

  /** Waits until the operator recorded that the API server refused the request's Job. */
  void awaitJobRefusedByQuota(String namespace, String name) {
    g.awaitRequest(namespace, name, "a condition saying the API server refused its Job",
        r -> r.at("/status/conditions").toString().contains("no more Jobs for the requests of " + namespace), VERDICT);
  }

  @Test
  void aJobCreateRefusedByQuotaQueuesTheRequestWithTheApiServersWordsAndNoLaunchMarker() throws Exception {
    String ns = "quota-refused";
    awaitingApprovalUnderAJobQuota(ns, "orders", g.database("quota_refused"));
    g.approve(ns, "orders");

    await().atMost(VERDICT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      JsonNode request = g.request(ns, "orders");
      assertThat(request.at("/status/phase").asText()).as("phase; status: %s", request.path("status"))
          .isEqualTo("Queued");
      assertThat(g.conditionWithReason(ns, "orders", "JobCreateRefused").path("message").asText())
          .as("the JobCreateRefused condition's message; status: %s", request.path("status"))
          .contains("no more Jobs for the requests of " + ns);
      assertThat(GuardedCluster.absent(request.at("/status/job")))
          .as("no launch marker for a Job that does not exist; status.job: %s", request.at("/status/job")).isTrue();
    });
  }

  @Test
  void refusedLaunchIsNotResumedAfterTheNamespaceBecameProductionAndTheQuotaWasFreed() throws Exception {
    String ns = "quota-then-prod";
    approvedAndRefusedByQuota(ns, "orders", g.database("quota_then_prod"));
    try (JobWatch jobs = g.watchJobs(ns)) {
      GuardedCluster.require(g.admin.run("label", "--overwrite", "namespace", ns, "environment=production"));
      g.allowJobsOf(ns);

      // a launch resumed without a first launch's checks would go on to Running, never Blocked
      g.awaitVerdict(ns, "orders", "Blocked", "Blocked", "ProductionNamespace", VERDICT);
      jobs.assertNoJob("a Job in a namespace labelled environment=production once the quota no longer refused it");
    }
  }

  @Test
  void refusedLaunchIsNotResumedAfterTheApproverRejectedAndTheQuotaWasFreed() throws Exception {
    String ns = "quota-then-reject";
    approvedAndRefusedByQuota(ns, "orders", g.database("quota_then_reject"));
    try (JobWatch jobs = g.watchJobs(ns)) {
      g.reject(ns, "orders");
      g.allowJobsOf(ns);

      // Rejected is final: nothing launches after it
      g.awaitPhase(ns, "orders", "Rejected", VERDICT);
      jobs.assertNoJob("a Job for a request its approver rejected before any Job existed");
    }
  }

  @Test
  void aRequestRefusedByQuotaDoesNotHoldItsDatabaseSoAnotherRequestOnItRuns() throws Exception {
    String refusedNs = "quota-slot-refused";
    String freeNs = "quota-slot-free";
    String url = g.database("quota_slot");
    g.createNamespace(freeNs);
    g.awaitingApproval(freeNs, "orders", url, Fixtures.orders());
    approvedAndRefusedByQuota(refusedNs, "orders", url);

    try (JobWatch refusedJobs = g.watchJobs(refusedNs)) {
      g.approve(freeNs, "orders");

      // the refused request would make this one wait for ever (WaitingForDatabase)
      g.awaitRequest(freeNs, "orders", "a Job of its own: it got the database",
          r -> !r.at("/status/job/name").asText().isBlank(), VERDICT);
      g.awaitPhase(freeNs, "orders", "Succeeded", GuardedCluster.FINISHED);

      assertThat(refusedJobs.seen()).as("Jobs of the refused request").isEmpty();
      assertThat(g.phase(refusedNs, "orders")).as("the refused request still cannot launch").isEqualTo("Queued");
    }
  }
}
