package io.migrationgate.localcluster;

import static io.migrationgate.localcluster.GuardedCluster.VERDICT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Status is a record, not an authority. The status fields
 * that decide a launch are forged by a subject that may write status (here the operator's own
 * ServiceAccount, impersonated: a leaked token, or a cluster without the chart's status policy),
 * and the operator must re-derive from what it can trust before it creates a Job: a latched
 * approval of the current plan's digest, a snapshot it created, a namespace that is not blocked.
 * Each test waits for the operator's recorded decision on the forgery, then looks for Jobs: had it
 * launched, it would have written its launch marker and created the Job before recording anything
 * else, and the Job would be there.
 */
@ExtendWith(SharedClusters.class)
class ForgedStatusIT {

  static final String UNTRUSTED = "UntrustedStatus";

  private final GuardedCluster g;

  ForgedStatusIT(GuardedCluster guarded) {
    this.g = guarded;
  }

  /** A request of its own namespace and database, planned and waiting for an approver; its plan's digest. */
  String awaitingApproval(String namespace, String name) throws Exception {
    g.awaitingApproval(namespace, name, Fixtures.orders());
    return g.request(namespace, name).at("/status/plan/digest").asText();
  }

  static String approvalJson(String digest) {
    return """
        "approval": {"approvedBy": "%s", "requestedBy": "%s", "digest": "%s", "recordedAt": "%s"}"""
        .formatted(LocalUser.APPROVER.userName(), LocalUser.REQUESTER.userName(), digest,
            Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  @Test
  void forgedApprovalOfAnotherDigestLaunchesNoJobAndFailsTheRequestAsUntrusted() throws Exception {
    String ns = "forged-approval";
    String digest = awaitingApproval(ns, "orders");
    String wrong = "sha256:" + "ab".repeat(32);
    assertThat(wrong).isNotEqualTo(digest);
    try (JobWatch jobs = g.watchJobs(ns)) {
      g.forgeStatus(ns, "orders", "{\"status\": {" + approvalJson(wrong) + "}}");
      g.nudge(ns, "orders");

      g.awaitVerdict(ns, "orders", "Failed", "Failed", UNTRUSTED, VERDICT);
      jobs.assertNoJob("a Job for an approval of digest " + wrong + " nobody approved (the plan's digest is "
          + digest + ")");
    }
  }

  @Test
  void forgedLaunchMarkerAloneLaunchesNoJobAndFailsTheRequestAsUntrusted() throws Exception {
    String ns = "forged-marker";
    awaitingApproval(ns, "orders");
    String job = GuardedCluster.jobName("orders", g.uid(ns, "orders"));
    try (JobWatch jobs = g.watchJobs(ns)) {
      // the marker the operator writes just before it creates its Job: with it, a restart "resumes" the launch
      g.forgeStatus(ns, "orders", "{\"status\": {\"job\": {\"name\": \"" + job + "\"}}}");
      g.nudge(ns, "orders");

      g.awaitVerdict(ns, "orders", "Failed", "Failed", UNTRUSTED, VERDICT);
      jobs.assertNoJob("a Job for a request nobody approved, from a forged status.job");
    }
  }

  @Test
  void forgedApprovalAndMarkerInANamespaceLabelledProductionLaterLaunchNoJobAndStayBlocked() throws Exception {
    String ns = "forged-prod-later";
    String digest = awaitingApproval(ns, "orders");
    String job = GuardedCluster.jobName("orders", g.uid(ns, "orders"));
    GuardedCluster.require(g.admin.run("label", "--overwrite", "namespace", ns, "environment=production"));
    g.awaitVerdict(ns, "orders", "Blocked", "Blocked", "ProductionNamespace", VERDICT);
    try (JobWatch jobs = g.watchJobs(ns)) {
      // the plan's real digest: only the namespace stands between this request and a run
      g.forgeStatus(ns, "orders", "{\"status\": {" + approvalJson(digest) + ", \"job\": {\"name\": \"" + job + "\"}}}");
      g.nudge(ns, "orders");

      // Blocked already: the decision on the forgery shows as the forged launch marker withdrawn
      g.awaitRequest(ns, "orders", "Blocked with the forged status.job withdrawn",
          r -> GuardedCluster.absent(r.at("/status/job")) && "Blocked".equals(r.at("/status/phase").asText()), VERDICT);
      jobs.assertNoJob("a Job in a namespace labelled environment=production");
      g.awaitVerdict(ns, "orders", "Blocked", "Blocked", "ProductionNamespace", VERDICT);
    }
    assertThat(g.count(ns.replace('-', '_'), "select count(*) from information_schema.tables where table_schema = 'public'"))
        .as("tables created in the production database").isZero();
  }

  @Test
  void forgedSnapshotPointingAtTheMutableSourceIsNeverMountedAndFailsTheRequestAsUntrusted() throws Exception {
    String ns = "forged-snapshot";
    String digest = awaitingApproval(ns, "orders");
    String source = "orders-scripts";
    JsonNode plan = g.request(ns, "orders").at("/status/plan");
    assertThat(plan.path("snapshot").asText()).as("the operator's own snapshot").isNotEqualTo(source);
    try (JobWatch jobs = g.watchJobs(ns)) {
      // the source stays editable by whoever may edit ConfigMaps there, after the approver looked
      g.forgeStatus(ns, "orders", "{\"status\": {\"plan\": {\"snapshot\": \"" + source + "\"}, "
          + approvalJson(digest) + "}}");
      g.approve(ns, "orders");

      g.awaitVerdict(ns, "orders", "Failed", "Failed", UNTRUSTED, VERDICT);
      jobs.assertNone(job -> job.getSpec().getTemplate().getSpec().getVolumes().stream()
              .anyMatch(v -> v.getConfigMap() != null && source.equals(v.getConfigMap().getName())),
          "a Job mounting the requester's mutable source ConfigMap " + source + " as its snapshot");
    }
  }
}
