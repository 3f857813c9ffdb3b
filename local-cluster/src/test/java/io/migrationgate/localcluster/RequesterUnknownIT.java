package io.migrationgate.localcluster;

import static io.migrationgate.localcluster.GuardedCluster.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request without migrationgate.io/requested-by (created before the chart's
 * policies, during an upgrade or with them off) has no known requester, so four eyes cannot be
 * checked and nobody may approve it: the operator counts no approval of it, even one that got past
 * admission, and says why (RequesterUnknown); with the chart's policies on, admission refuses any
 * approval of it and says how to fix it. A rejection still works.
 */
@ExtendWith(SharedClusters.class)
class RequesterUnknownIT {

  static final String NS = "requester-unknown";
  static final String ADAM = LocalUser.APPROVER.userName();
  static final String RITA = LocalUser.REQUESTER.userName();
  static final String POLICY_REFUSAL = "orders has no migrationgate.io/requested-by, so nobody can tell whether %s"
      + " requested it: nobody may approve it; create it again, and the API server records its creator in"
      + " migrationgate.io/requested-by";

  private final GuardedCluster g;

  RequesterUnknownIT(GuardedCluster guarded) {
    this.g = guarded;
  }

  @Test
  void aRequestWithoutRequestedByCannotBeApprovedByAnyoneAndSaysWhy() throws Exception {
    g.createNamespace(NS);
    String url = g.database("requester_unknown");
    String digest;
    // Such a request exists only where the chart's approvals policy and stamp were off, as before an upgrade.
    chartPolicies(false);
    try {
      g.submit(NS, "orders", url, Fixtures.orders());
      assertThat(g.request(NS, "orders").at("/metadata/annotations").has("migrationgate.io/requested-by")).isFalse();
      g.awaitVerdict(NS, "orders", "AwaitingApproval", "Ready", "RequesterUnknown", GuardedCluster.PLANNED);
      digest = g.request(NS, "orders").at("/status/plan/digest").asText();

      try (JobWatch jobs = g.watchJobs(NS)) {
        require(g.approver.run("annotate", "mr", "orders", "-n", NS, "migrationgate.io/approved-by=" + ADAM,
            "migrationgate.io/approved-digest=" + digest));
        g.awaitVerdict(NS, "orders", "AwaitingApproval", "Approved", "RequesterUnknown", GuardedCluster.VERDICT);
        jobs.assertNoJob("a Job for a request whose requester nobody knows");
      }
      assertThat(g.request(NS, "orders").at("/status/approval").isMissingNode()).isTrue();
      assertThat(g.condition(NS, "orders", "Ready").path("message").asText()).contains(
          "nobody is recorded as the requester (migrationgate.io/requested-by is missing or blank)",
          "create the request again where the chart's admission policies record its creator");
    } finally {
      chartPolicies(true);
    }

    // removing an approval starts nothing, so it stays allowed
    require(g.approver.run("annotate", "mr", "orders", "-n", NS, "migrationgate.io/approved-by-",
        "migrationgate.io/approved-digest-"));
    refused(g.approver.run("annotate", "mr", "orders", "-n", NS, "migrationgate.io/approved-by=" + ADAM,
        "migrationgate.io/approved-digest=" + digest), POLICY_REFUSAL.formatted(ADAM));
    // the requester, were she in an approver group: her own request, but nobody can tell
    refused(g.admin.run(PolicyPlane.as(RITA, List.of(Rbac.REQUESTERS, Rbac.APPROVERS), "annotate", "mr", "orders",
        "-n", NS, "migrationgate.io/approved-by=" + RITA)), POLICY_REFUSAL.formatted(RITA));
    refused(KubectlPluginIT.plugin(g.approver, null, "approve", "orders", "-n", NS, "--yes"),
        "orders cannot be approved by anyone: nobody is recorded as the requester");
    assertThat(g.request(NS, "orders").at("/metadata/annotations").has("migrationgate.io/approved-by")).isFalse();

    g.reject(NS, "orders");
    g.awaitPhase(NS, "orders", "Rejected", GuardedCluster.VERDICT);
  }

  static void refused(Kubectl.Result result, String message) {
    assertThat(result.ok()).as("must be refused: %s", result).isFalse();
    assertThat(result.err()).as(result.toString()).contains(message);
  }

  /**
   * Turns the chart's approvals policy and requested-by stamp off or on with helm upgrade, as a
   * platform team would, and waits until the API server acts on it: a request that sets approved-by
   * at creation is refused once the policy is loaded, and requested-by is stamped once the stamp is.
   */
  void chartPolicies(boolean on) {
    g.release.helm("upgrade", ChartRelease.RELEASE, ChartRelease.chart().toString(), "--namespace",
        ChartRelease.NAMESPACE, "--reuse-values", "--set", "approval.policy.enabled=" + on,
        "--set", "approval.stampRequestedBy=" + on);
    String probe = """
        apiVersion: migrationgate.io/v1alpha1
        kind: MigrationRequest
        metadata: {name: policy-probe, namespace: %s%s}
        spec:
          workOrder: WO-0
          migrationTargetName: db
          migrations: {configMap: {name: scripts}}
        """;
    String approvedAtCreation = probe.formatted(NS, ", annotations: {migrationgate.io/approved-by: " + RITA + "}");
    String plain = probe.formatted(NS, "");
    // a loaded API server (two cores) has taken more than 30 s to act on a policy change
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() ->
        g.requester.runWithInput(approvedAtCreation, "create", "--dry-run=server", "-f", "-").ok() != on
            && g.requester.runWithInput(plain, "create", "--dry-run=server", "-f", "-", "-o",
                "jsonpath={.metadata.annotations.migrationgate\\.io/requested-by}").out().strip().equals(on ? RITA : ""));
  }
}
