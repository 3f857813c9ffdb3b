package io.migrationgate.localcluster;

import static io.migrationgate.localcluster.GuardedCluster.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kubectl migrationgate}, copied onto the PATH and run through the real
 * kubectl as the requester and the approver, on a cluster with the chart's admission policies. The
 * approval it writes names the approver, pins the digest it showed and belongs to a field manager
 * that Flux's drift correction does not take over.
 */
@ExtendWith(SharedClusters.class)
class KubectlPluginIT {

  static final Path PLUGIN_DIR = ChartRelease.repo().resolve("kubectl-plugin");
  static final String MANAGER = "migration-gate-approver";
  static final String RITA = LocalUser.REQUESTER.userName();
  static final String ADAM = LocalUser.APPROVER.userName();

  private final GuardedCluster g;

  KubectlPluginIT(GuardedCluster guarded) {
    this.g = guarded;
  }

  static Kubectl.Result plugin(Kubectl as, String stdin, String... args) {
    return as.runPlugin(PLUGIN_DIR, stdin, "migrationgate", args);
  }

  static Kubectl.Result refused(Kubectl.Result result, String... stderr) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.err()).as(result.toString()).contains(stderr);
    return result;
  }

  @Test
  void theRequesterReadsThePlanTheApproverApprovesItAndBothFollowTheRun() throws Exception {
    String ns = "plugin-approve";
    g.createNamespace(ns);
    String url = g.database("plugin_approve");
    g.awaitingApproval(ns, "orders", url, Fixtures.orders());
    JsonNode planned = g.request(ns, "orders").at("/status/plan");
    String digest = planned.path("digest").asText();

    Kubectl.Result plan = require(plugin(g.requester, null, "plan", "orders", "-n", ns));
    assertThat(plan.out()).contains(
        "MigrationRequest " + ns + "/orders",
        "phase:      AwaitingApproval (AwaitingApproval)",
        "work order: WO-1234",
        "reason:     add orders.status",
        "requester:  " + RITA,
        "database:   postgresql " + url.substring("jdbc:postgresql://".length()),
        "digest:     " + digest,
        "V1__create_orders.sql", "V2__add_status.sql",
        "plan Job " + planned.at("/check/job").asText() + "'s evidence ConfigMap "
            + planned.at("/check/evidence/configMap").asText() + ": uid " + planned.at("/check/evidence/configMapUid")
            .asText() + " and content digest " + planned.at("/check/evidence/digest").asText() + " match status");
    assertThat(require(plugin(g.requester, null, "status", "-n", ns)).out())
        .containsPattern("orders +AwaitingApproval +AwaitingApproval +<none> +plan sha256:");
    assertThat(require(plugin(g.requester, null, "status", "orders", "--namespace=" + ns)).out())
        .containsPattern("Approved +False +AwaitingApproval")
        .containsPattern("Planned +True +PlanRecorded");

    // a requester who may patch her requests is still no approver: the chart's policy says so
    grantRequesterPatch(ns);
    refused(plugin(g.requester, null, "approve", "orders", "-n", ns, "--yes"),
        "only members of migration-approvers may add, change or remove migrationgate.io/approved-by");
    assertThat(annotation(ns, "orders", "approved-by")).isEmpty();

    refused(plugin(g.approver, "n\n", "approve", "orders", "-n", ns), "not approved: nothing written");
    assertThat(annotation(ns, "orders", "approved-by")).isEmpty();

    Kubectl.Result approved = require(plugin(g.approver, "y\n", "approve", "orders", "-n", ns));
    assertThat(approved.out()).contains("digest:     " + digest,
        "Approved orders as " + ADAM + ", pinned to " + digest);
    assertThat(approved.err()).contains("Approve orders as " + ADAM + ", pinned to " + digest + "? [y/N]");
    assertThat(annotation(ns, "orders", "approved-by")).isEqualTo(ADAM);
    assertThat(annotation(ns, "orders", "approved-digest")).isEqualTo(digest);
    assertThat(annotationManagers(ns, "orders", "approved-by", "approved-digest")).containsExactly(MANAGER);

    g.awaitPhase(ns, "orders", "Succeeded", GuardedCluster.FINISHED);
    assertThat(g.request(ns, "orders").at("/status/approval/digest").asText()).isEqualTo(digest);
    refused(plugin(g.approver, null, "approve", "orders", "-n", ns, "--yes"),
        "orders is final (phase Succeeded): there is nothing to approve");

    assertThat(require(plugin(g.requester, null, "logs", "orders", "-n", ns)).out())
        .contains("Successfully applied 2 migrations", "MIGRATION-GATE-REPORT {");
    Kubectl.Result evidence = require(plugin(g.requester, null, "evidence", "orders", "-n", ns));
    assertThat(evidence.out()).contains(
        "outcome:   Succeeded MigrationSucceeded: Job ",
        "checked:   evidence ConfigMap " + g.request(ns, "orders").at("/status/evidence/configMap").asText() + ": uid ",
        "exit code: 0",
        "--- runner report (report.json) ---\n{\n  \"reportVersion\": 1,\n  \"outcome\": \"SUCCEEDED\",",
        // the runner checks the scripts against their digest and the database against the planned state
        "\"expectedDigest\": \"" + planned.path("scriptsDigest").asText() + "\"",
        "the database is still in the planned state " + planned.at("/check/state").asText(),
        "--- log tail ---",
        "matches the approved digest");
    assertThat(require(plugin(g.requester, null, "status", "-n", ns)).out())
        .containsPattern("orders +Succeeded +MigrationSucceeded +" + ADAM);
  }

  @Test
  void theApproverRejectsWithAReasonThatOnlyTheRejecterMayWrite() throws Exception {
    String ns = "plugin-reject";
    g.awaitingApproval(ns, "orders", Fixtures.orders());

    Kubectl.Result noReason = plugin(g.approver, null, "reject", "orders", "-n", ns, "--yes");
    assertThat(noReason.exitCode()).as(noReason.toString()).isEqualTo(2);
    assertThat(noReason.err()).contains("reject needs --reason TEXT");

    Kubectl.Result rejected = require(plugin(g.approver, null, "reject", "orders", "-n", ns,
        "--reason", "V2 has no rollback", "--yes"));
    assertThat(rejected.out()).contains("Rejected orders as " + ADAM + ": V2 has no rollback");
    assertThat(annotation(ns, "orders", "rejected-by")).isEqualTo(ADAM);
    assertThat(annotation(ns, "orders", "rejection-reason")).isEqualTo("V2 has no rollback");
    assertThat(annotationManagers(ns, "orders", "rejected-by", "rejection-reason")).containsExactly(MANAGER);
    g.awaitPhase(ns, "orders", "Rejected", GuardedCluster.VERDICT);

    grantRequesterPatch(ns);
    Kubectl.Result rewritten = g.requester.run("annotate", "--overwrite", "mr", "orders", "-n", ns,
        "migrationgate.io/rejection-reason=approved after all");
    assertThat(rewritten.ok()).as(rewritten.toString()).isFalse();
    assertThat(rewritten.err()).contains("migrationgate.io/rejection-reason is written by the approver who rejects");
    assertThat(annotation(ns, "orders", "rejection-reason")).isEqualTo("V2 has no rollback");

    assertThat(require(plugin(g.requester, null, "plan", "orders", "-n", ns)).out())
        .contains("phase:      Rejected (Rejected)", "rejected:   by " + ADAM + ": V2 has no rollback");
    refused(plugin(g.approver, null, "approve", "orders", "-n", ns, "--yes"),
        "orders is final (phase Rejected)");
  }

  @Test
  void unknownRequestsAndRequestsWithoutAPlanAreRefusedClearly() {
    String ns = "plugin-pending";
    g.createNamespace(ns);
    refused(plugin(g.approver, null, "plan", "nope", "-n", ns),
        "no MigrationRequest \"nope\" in namespace " + ns + ". List them: kubectl migrationgate status -n " + ns);

    g.submit(ns, "later", "jdbc:postgresql://127.0.0.1:5432/later", null);
    g.awaitVerdict(ns, "later", "Pending", "Ready", "SourceNotFound", GuardedCluster.PLANNED);
    refused(plugin(g.approver, null, "approve", "later", "-n", ns, "--yes"),
        "later has no plan yet (phase Pending, SourceNotFound: ");
    assertThat(annotation(ns, "later", "approved-by")).isEmpty();
    refused(plugin(g.requester, null, "logs", "later", "-n", ns), "later has no Job yet (phase Pending");
    refused(plugin(g.requester, null, "evidence", "later", "-n", ns), "later has no evidence yet (phase Pending)");
  }

  /** Many teams let requesters edit their own requests; the policy, not RBAC, must then stop them. */
  void grantRequesterPatch(String ns) {
    require(g.admin.run("create", "rolebinding", "requester-patches", "-n", ns,
        "--clusterrole=" + Rbac.APPROVER_ROLE, "--user=" + RITA));
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() ->
        g.requester.run("auth", "can-i", "patch", "migrationrequests.migrationgate.io", "-n", ns).out().strip()
            .equals("yes"));
  }

  String annotation(String ns, String name, String key) {
    return g.request(ns, name).path("metadata").path("annotations").path("migrationgate.io/" + key).asText();
  }

  /** The field managers owning any of these annotations. */
  List<String> annotationManagers(String ns, String name, String... keys) throws IOException {
    JsonNode request = GuardedCluster.JSON.readTree(require(g.admin.run("get", "mr", name, "-n", ns, "-o", "json",
        "--show-managed-fields")).out());
    List<String> managers = new ArrayList<>();
    for (JsonNode entry : request.at("/metadata/managedFields")) {
      JsonNode owned = entry.at("/fieldsV1/f:metadata/f:annotations");
      for (String key : keys) {
        if (owned.has("f:migrationgate.io/" + key)) {
          managers.add(entry.path("manager").asText() + (entry.path("manager").asText().startsWith("kubectl")
              ? " (Flux's drift correction takes over every kubectl* manager)" : ""));
        }
      }
    }
    return managers.stream().distinct().toList();
  }
}
