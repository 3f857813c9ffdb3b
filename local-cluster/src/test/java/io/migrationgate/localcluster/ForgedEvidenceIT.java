package io.migrationgate.localcluster;

import static io.migrationgate.localcluster.GuardedCluster.require;
import static io.migrationgate.localcluster.KubectlPluginIT.refused;
import static org.assertj.core.api.Assertions.assertThat;

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
 * The run's evidence ConfigMap, a plan's, and the snapshot of the scripts are in the operator's
 * namespace, where the requester (with the chart's roles) may read but neither delete nor create
 * them. Whoever may is caught: status, which only the operator may write, recorded each one's uid
 * and the digest of the data it wrote, so the kubectl plugin says FORGED (or MISSING) and exits 1,
 * for whoever reads it; genuine evidence passes the same checks, by the plugin and by the commands
 * docs/evidence.md gives.
 */
@ExtendWith(SharedClusters.class)
class ForgedEvidenceIT {

  /** The content digest as docs/evidence.md and the plugin compute it with kubectl and sha256sum. */
  static final String DIGEST_TEMPLATE =
      "{{range $k, $v := .data}}{{$k}}{{\"\\x00\"}}{{len $v}}{{\"\\x00\"}}{{$v}}{{end}}";
  static final String FORGED_REPORT = "{\"reportVersion\":1,\"outcome\":\"SUCCEEDED\",\"message\":\"all fine\"}";

  private final GuardedCluster g;

  ForgedEvidenceIT(GuardedCluster guarded) {
    this.g = guarded;
  }

  static Kubectl.Result plugin(Kubectl as, String... args) {
    return KubectlPluginIT.plugin(as, null, args);
  }

  @Test
  void theRunsEvidenceOutOfTheRequestersReachAndCalledOutWhenReplacedOrDeleted() throws Exception {
    String ns = "forged-evidence";
    g.awaitingApproval(ns, "orders", Fixtures.orders());
    g.bindTheChartsRoles(ns);
    g.approve(ns, "orders");
    g.awaitPhase(ns, "orders", "Succeeded", Duration.ofSeconds(120));
    JsonNode recorded = g.request(ns, "orders").at("/status/evidence");
    String name = recorded.path("configMap").asText();
    String uid = recorded.path("configMapUid").asText();
    String digest = recorded.path("digest").asText();

    assertThat(require(plugin(g.requester, "evidence", "orders", "-n", ns)).out()).contains(
        "checked:   evidence ConfigMap " + name + ": uid " + uid + " and content digest " + digest + " match status",
        "\"outcome\": \"SUCCEEDED\"");
    assertThat("sha256:" + documentedDigest(ChartRelease.NAMESPACE, name)).isEqualTo(digest);
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

    String forgedUid = replace(name, Map.of("report.json", FORGED_REPORT));
    Kubectl.Result forged = refused(plugin(g.approver, "evidence", "orders", "-n", ns),
        "FORGED: evidence ConfigMap " + name + " is not what the operator recorded in status (uid differs: recorded "
            + uid + ", found " + forgedUid + "; content digest differs: recorded " + digest + ", found sha256:");
    assertThat(forged.out()).as("the forgery's content is not shown").doesNotContain("all fine");

    require(g.admin.run("delete", "configmap", name, "-n", ChartRelease.NAMESPACE));
    refused(plugin(g.requester, "evidence", "orders", "-n", ns),
        "MISSING: evidence ConfigMap " + name + " (uid " + uid + ") no longer exists");
  }

  @Test
  void aPlansEvidenceReplacedStopsPlanAndApprove() throws Exception {
    String ns = "forged-plan-evidence";
    g.awaitingApproval(ns, "orders", Fixtures.orders());
    g.bindTheChartsRoles(ns);
    JsonNode check = g.request(ns, "orders").at("/status/plan/check");
    String job = check.path("job").asText();
    String name = check.at("/evidence/configMap").asText();
    String uid = check.at("/evidence/configMapUid").asText();
    String digest = check.at("/evidence/digest").asText();
    assertThat(require(plugin(g.approver, "plan", "orders", "-n", ns)).out()).contains(
        "plan Job " + job + "'s evidence ConfigMap " + name + ": uid " + uid + " and content digest " + digest
            + " match status");

    // a perfect copy: only the uid tells it from the operator's own
    String copyUid = replace(name, Map.of());
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
   * The snapshot is the operator's copy of the scripts and the only one a Job mounts: the requester
   * replaces it with one of the same name that drops the table. The operator would refuse to launch
   * from it (UntrustedStatus); the approver is told before approving anything.
   */
  @Test
  void aSnapshotReplacedIsCalledOutAndNeverShownOrApproved() throws Exception {
    String ns = "forged-snapshot-shown";
    g.awaitingApproval(ns, "orders", Fixtures.orders());
    g.bindTheChartsRoles(ns);
    JsonNode plan = g.request(ns, "orders").at("/status/plan");
    String name = plan.path("snapshot").asText();
    String uid = plan.path("snapshotUid").asText();
    String digest = plan.path("scriptsDigest").asText();
    assertThat(require(plugin(g.approver, "plan", "orders", "-n", ns, "--show-scripts")).out()).contains(
        "snapshot ConfigMap " + name + ": uid " + uid + " and content digest " + digest + " match status",
        "Scripts, from snapshot ConfigMap " + name + " (uid " + uid + "):",
        "  --- " + Fixtures.V2 + " ---\n    " + Fixtures.orders().get(Fixtures.V2).strip());

    String forgedUid = replace(name, Map.of(Fixtures.V2, "drop table orders;\n"));
    String forgery = "FORGED: snapshot ConfigMap " + name + " is not what the operator recorded in status (uid differs: "
        + "recorded " + uid + ", found " + forgedUid + "; content digest differs: recorded " + digest + ", found sha256:";
    Kubectl.Result shown = refused(plugin(g.approver, "plan", "orders", "-n", ns, "--show-scripts"), forgery,
        "the snapshot is not what the operator recorded (above): the scripts in it are not the ones planned");
    assertThat(shown.out()).as("the forged scripts are not shown").doesNotContain("drop table");
    Kubectl.Result approve = refused(plugin(g.approver, "approve", "orders", "-n", ns, "--yes"), forgery,
        "before anyone approves. Nothing written.");
    assertThat(approve.out()).doesNotContain("drop table");
    assertThat(g.request(ns, "orders").at("/metadata/annotations").has("migrationgate.io/approved-by")).isFalse();
  }

  /**
   * Replaces ConfigMap {@code name} of the operator's namespace with one of the same name, labels and
   * data but {@code changes}; returns the new uid. The requester, with the chart's roles, may not
   * (a target's evidence is out of her reach); whoever may, a platform engineer's slip or a stolen
   * token (the admin here), is caught by the uid and digest in status.
   */
  String replace(String name, Map<String, String> changes) throws IOException {
    String runs = ChartRelease.NAMESPACE;
    ObjectNode copy = (ObjectNode) GuardedCluster.JSON.readTree(
        require(g.requester.run("get", "configmap", name, "-n", runs, "-o", "json")).out());
    ((ObjectNode) copy.get("metadata")).retain("name", "namespace", "labels", "annotations");
    changes.forEach(((ObjectNode) copy.get("data"))::put);
    Kubectl.Result refused = g.requester.run("delete", "configmap", name, "-n", runs);
    assertThat(refused.ok()).as("the requester deletes the operator's ConfigMap: " + refused).isFalse();
    assertThat(refused.err()).contains("forbidden");
    require(g.admin.run("delete", "configmap", name, "-n", runs));
    return require(g.admin.runWithInput(copy.toString(), "create", "-f", "-", "-o", "jsonpath={.metadata.uid}"))
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
