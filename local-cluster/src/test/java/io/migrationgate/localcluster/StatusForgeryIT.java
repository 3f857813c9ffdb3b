package io.migrationgate.localcluster;

import static io.migrationgate.localcluster.PolicyPlane.as;
import static io.migrationgate.localcluster.PolicyPlane.refused;
import static io.migrationgate.localcluster.PolicyPlane.require;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator decides from status (plan snapshot and digest, latched approval,
 * launched Job), so a subject with write on migrationrequests/status (wildcard roles are common)
 * must not be able to forge it. Only the chart's ServiceAccount may change it.
 */
@ExtendWith(SharedClusters.class)
class StatusForgeryIT {

  static final String NS = "status-forgery";
  static final String DIGEST = "sha256:" + "f0f0".repeat(16);
  static final String FORGER = LocalUser.OUTSIDER.userName();
  static PolicyPlane policies;
  static Kubectl admin;
  static Kubectl forger;

  @BeforeAll
  static void aForgerWithStatusWriteRights(PolicyPlane shared) {
    policies = shared;
    policies.createNamespace(NS, "dev");
    admin = policies.admin;
    forger = policies.kubectl(LocalUser.OUTSIDER);
    for (String user : List.of(FORGER, PolicyPlane.OPERATOR)) {
      policies.grant(NS, user, "migrationgate.io", List.of("migrationrequests/status", "migrationrequests"),
          List.of("patch", "update", "get"));
    }
    create("probe");
    PolicyPlane.awaitPolicy(() -> forger.run("patch", "--dry-run=server", "mr", "probe", "-n", NS,
        "--subresource=status", "--type=merge", "-p", "{\"status\":{\"phase\":\"Succeeded\"}}"),
        "written only by the Migration Gate operator");
  }

  static void create(String name) {
    require(policies.requester.runWithInput(policies.requestedBy.request(NS, name, LocalUser.REQUESTER.userName(), """
        workOrder: WO-2
        migrationTargetName: orders
        migrations: {configMap: {name: orders-migrations}}
        """), "create", "-f", "-"));
  }

  static Kubectl.Result patchStatus(Kubectl who, String name, String statusJson, String... impersonation) {
    List<String> args = new java.util.ArrayList<>(List.of(impersonation));
    args.addAll(List.of("patch", "mr", name, "-n", NS, "--subresource=status", "--type=merge", "-p",
        "{\"status\":" + statusJson + "}"));
    return who.run(args.toArray(String[]::new));
  }

  static Kubectl.Result asOperator(String name, String statusJson) {
    return patchStatus(admin, name, statusJson, as(PolicyPlane.OPERATOR, List.of()));
  }

  static String status(String name, String jsonPath) {
    return admin.run("get", "mr", name, "-n", NS, "-o", "jsonpath={.status." + jsonPath + "}").out();
  }

  static final String PLAN = "{\"digest\":\"" + DIGEST + "\",\"snapshot\":\"awaiting-mr-snapshot\"}";

  @Test
  void aForgedApprovalJobOrPlanIsRefusedNamingTheField() {
    create("awaiting");
    require(asOperator("awaiting", "{\"phase\":\"AwaitingApproval\",\"plan\":" + PLAN + "}"));

    refused(patchStatus(forger, "awaiting", "{\"approval\":{\"approvedBy\":\"adam-approver\",\"digest\":\"" + DIGEST
        + "\"}}"), "status.approval is written only by the Migration Gate operator (" + PolicyPlane.OPERATOR + ")",
        FORGER + " may not change it");
    refused(patchStatus(forger, "awaiting", "{\"job\":{\"name\":\"awaiting-run\"}}"), "status.job is written only");
    refused(patchStatus(forger, "awaiting", "{\"plan\":{\"snapshot\":\"orders-migrations\"}}"),
        "status.plan is written only");
    refused(patchStatus(forger, "awaiting", "{\"plan\":null}"), "status.plan is written only");
    refused(patchStatus(forger, "awaiting", "{\"phase\":\"Succeeded\",\"conditions\":[{\"type\":\"Ready\","
        + "\"status\":\"True\",\"reason\":\"MigrationSucceeded\",\"message\":\"forged\","
        + "\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}]}"), "status.phase is written only");
    refused(patchStatus(forger, "awaiting", "{\"result\":{\"exitCode\":0}}"), "status.result is written only");
    refused(patchStatus(forger, "awaiting", "{\"evidence\":{\"configMap\":\"elsewhere\"}}"),
        "status.evidence is written only");

    assertThat(status("awaiting", "plan.snapshot")).isEqualTo("awaiting-mr-snapshot");
    assertThat(status("awaiting", "approval")).isEmpty();
    assertThat(status("awaiting", "job")).isEmpty();
  }

  @Test
  void aWholeStatusReplacedWithPutIsRefusedToo() {
    create("replaced");
    require(asOperator("replaced", "{\"phase\":\"AwaitingApproval\",\"plan\":" + PLAN + "}"));
    String current = admin.run("get", "mr", "replaced", "-n", NS, "-o", "json").out();
    String forged = current.replace("\"phase\": \"AwaitingApproval\"", "\"phase\": \"Queued\", "
        + "\"approval\": {\"approvedBy\": \"adam-approver\", \"digest\": \"" + DIGEST + "\"}");
    assertThat(forged).isNotEqualTo(current);
    refused(forger.runWithInput(forged, "replace", "--subresource=status", "-f", "-"), "status.approval is written only");
  }

  @Test
  void theOperatorsServiceAccountWritesEveryField() {
    create("operated");
    require(asOperator("operated", "{\"phase\":\"AwaitingApproval\",\"plan\":" + PLAN + "}"));
    require(asOperator("operated", "{\"phase\":\"Running\",\"approval\":{\"approvedBy\":\"adam-approver\",\"digest\":\""
        + DIGEST + "\"},\"job\":{\"name\":\"operated-run\"},\"evidence\":{\"configMap\":\"operated-evidence\"}}"));
    assertThat(status("operated", "job.name")).isEqualTo("operated-run");
    assertThat(status("operated", "approval.approvedBy")).isEqualTo("adam-approver");
  }

  @Test
  void aStatusWriteThatChangesNothingGuardedStillPasses() {
    create("unchanged");
    require(asOperator("unchanged", "{\"phase\":\"AwaitingApproval\",\"plan\":" + PLAN + "}"));
    require(patchStatus(forger, "unchanged", "{\"phase\":\"AwaitingApproval\"}"));
  }
}
