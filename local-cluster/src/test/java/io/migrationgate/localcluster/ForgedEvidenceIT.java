package io.migrationgate.localcluster;

import static io.migrationgate.localcluster.GuardedCluster.require;
import static io.migrationgate.localcluster.KubectlPluginIT.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The requester (the chart's requester role, which may delete and create
 * ConfigMaps in her namespace) replaces the run's evidence ConfigMap and a plan's with ones of the same name.
 * Status, which only the operator may write, recorded each one's uid and the digest of the data it
 * wrote, so the kubectl plugin says FORGED (or MISSING) and exits 1, for whoever reads it; genuine
 * evidence passes the same checks, by the plugin and by the commands docs/evidence.md gives.
 */
@ExtendWith(SharedClusters.class)
class ForgedEvidenceIT {

  /** The content digest as docs/evidence.md and the plugin compute it with kubectl and sha256sum. */
  static final String DIGEST_TEMPLATE =
      "{{range $k, $v := .data}}{{$k}}{{\"\\x00\"}}{{len $v}}{{\"\\x00\"}}{{$v}}{{end}}";
  /** The chart's ClusterRoles for people, as release "mg" names them. */
  static final String CHART_ROLE = ChartRelease.RELEASE + "-migration-gate-";
  static final String FORGED_REPORT = "{\"reportVersion\":1,\"outcome\":\"SUCCEEDED\",\"message\":\"all fine\"}";

  private final GuardedCluster g;

  ForgedEvidenceIT(GuardedCluster guarded) {
    this.g = guarded;
  }

  static Kubectl.Result plugin(Kubectl as, String... args) {
    return KubectlPluginIT.plugin(as, null, args);
  }

  @Test
  void theRunsEvidenceReplacedOrDeletedByTheRequesterIsCalledOut() throws Exception {
    String ns = "forged-evidence";
    g.awaitingApproval(ns, "orders", Fixtures.orders());
    bindTheChartsRoles(ns);
    g.approve(ns, "orders");
    g.awaitPhase(ns, "orders", "Succeeded", Duration.ofSeconds(120));
    JsonNode recorded = g.request(ns, "orders").at("/status/evidence");
    String name = recorded.path("configMap").asText();
    String uid = recorded.path("configMapUid").asText();
    String digest = recorded.path("digest").asText();

    assertThat(require(plugin(g.requester, "evidence", "orders", "-n", ns)).out()).contains(
        "checked:   evidence ConfigMap " + name + ": uid " + uid + " and content digest " + digest + " match status",
        "\"outcome\": \"SUCCEEDED\"");
    assertThat("sha256:" + documentedDigest(ns, name)).isEqualTo(digest);
    assertThat(Files.readString(ChartRelease.repo().resolve("docs/evidence.md"))).contains(DIGEST_TEMPLATE);
    assertThat(Files.readString(KubectlPluginIT.PLUGIN_DIR.resolve("kubectl-migrationgate"))).contains(DIGEST_TEMPLATE);

    // data changed under the same uid (past the API server, in etcd, say) shows as a digest that differs;
    // made here from the other side, with the operator's identity writing another digest into status
    String other = "sha256:" + "0".repeat(64);
    g.forgeStatus(ns, "orders", "{\"status\":{\"evidence\":{\"digest\":\"" + other + "\"}}}");
    Kubectl.Result changed = refused(plugin(g.approver, "evidence", "orders", "-n", ns),
        "FORGED: evidence ConfigMap " + name + " is not what the operator recorded in status (content digest differs: "
            + "recorded " + other + ", found " + digest + ")");
    assertThat(changed.err()).doesNotContain("uid differs");
    g.forgeStatus(ns, "orders", "{\"status\":{\"evidence\":{\"digest\":\"" + digest + "\"}}}");

    String forgedUid = replaceAsRequester(ns, name, Map.of("report.json", FORGED_REPORT));
    Kubectl.Result forged = refused(plugin(g.approver, "evidence", "orders", "-n", ns),
        "FORGED: evidence ConfigMap " + name + " is not what the operator recorded in status (uid differs: recorded "
            + uid + ", found " + forgedUid + "; content digest differs: recorded " + digest + ", found sha256:");
    assertThat(forged.out()).as("the forgery's content is not shown").doesNotContain("all fine");

    require(g.requester.run("delete", "configmap", name, "-n", ns));
    refused(plugin(g.requester, "evidence", "orders", "-n", ns),
        "MISSING: evidence ConfigMap " + name + " (uid " + uid + ") no longer exists");
  }

  @Test
  void aPlansEvidenceReplacedByTheRequesterStopsPlanAndApprove() throws Exception {
    String ns = "forged-plan-evidence";
    g.awaitingApproval(ns, "orders", Fixtures.orders());
    bindTheChartsRoles(ns);
    JsonNode check = g.request(ns, "orders").at("/status/plan/check");
    String job = check.path("job").asText();
    String name = check.at("/evidence/configMap").asText();
    String uid = check.at("/evidence/configMapUid").asText();
    String digest = check.at("/evidence/digest").asText();
    assertThat(require(plugin(g.approver, "plan", "orders", "-n", ns)).out()).contains(
        "plan Job " + job + "'s evidence ConfigMap " + name + ": uid " + uid + " and content digest " + digest
            + " match status");

    // a perfect copy: only the uid tells it from the operator's own
    String copyUid = replaceAsRequester(ns, name, Map.of());
    String forgery = "FORGED: plan Job " + job + "'s evidence ConfigMap " + name
        + " is not what the operator recorded in status (uid differs: recorded " + uid + ", found " + copyUid + ")";
    refused(plugin(g.requester, "plan", "orders", "-n", ns), forgery,
        "the plan's evidence is not what the operator recorded (above): find out who replaced it before anyone approves.");
    Kubectl.Result approve = refused(plugin(g.approver, "approve", "orders", "-n", ns, "--yes"), forgery,
        "before anyone approves. Nothing written.");
    assertThat(approve.err()).doesNotContain("content digest differs");
    assertThat(g.request(ns, "orders").at("/metadata/annotations").has("migrationgate.io/approved-by")).isFalse();
  }

  /**
   * The requester and approver groups get the chart's roles in {@code ns}, as the chart's notes tell
   * a platform team to bind them: the requester's may delete ConfigMaps, the approver's may read them.
   */
  void bindTheChartsRoles(String ns) {
    for (String[] role : new String[][] {{"requester", Rbac.REQUESTERS}, {"approver", Rbac.APPROVERS}}) {
      require(g.admin.run("create", "rolebinding", "chart-" + role[0], "-n", ns, "--clusterrole=" + CHART_ROLE + role[0],
          "--group=" + role[1]));
    }
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() ->
        g.requester.run("auth", "can-i", "delete", "configmaps", "-n", ns).out().strip().equals("yes")
            && g.approver.run("auth", "can-i", "get", "configmaps", "-n", ns).out().strip().equals("yes"));
  }

  /**
   * As the requester: reads ConfigMap {@code name}, deletes it and creates one under the same name
   * with the same labels and data but {@code changes}; returns the new uid.
   */
  String replaceAsRequester(String ns, String name, Map<String, String> changes) throws IOException {
    ObjectNode copy = (ObjectNode) GuardedCluster.JSON.readTree(
        require(g.requester.run("get", "configmap", name, "-n", ns, "-o", "json")).out());
    ((ObjectNode) copy.get("metadata")).retain("name", "namespace", "labels", "annotations");
    changes.forEach(((ObjectNode) copy.get("data"))::put);
    require(g.requester.run("delete", "configmap", name, "-n", ns));
    return require(g.requester.runWithInput(copy.toString(), "create", "-f", "-", "-o", "jsonpath={.metadata.uid}"))
        .out().strip();
  }

  /** docs/evidence.md's command, as the viewer of the evidence would type it: the hex digest. */
  String documentedDigest(String ns, String name) {
    String out = Processes.run(List.of("bash", "-c",
        "\"$0\" --kubeconfig \"$1\" get configmap \"$2\" -n \"$3\" -o go-template=\"$4\" | sha256sum",
        g.cluster.controlPlane().binaries().kubectl().toString(),
        g.cluster.controlPlane().kubeconfig(LocalUser.REQUESTER).toString(), name, ns, DIGEST_TEMPLATE),
        Duration.ofSeconds(30));
    return out.strip().split(" ")[0];
  }
}
