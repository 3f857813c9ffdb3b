package io.migrationgate.localcluster;

import static io.migrationgate.localcluster.GuardedCluster.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kubectl migrationgate}, copied onto the PATH and run through the real
 * kubectl as the requester and the approver, on a cluster with the chart's admission policies. The
 * approval it writes names the approver, pins the digest and the version of the request it showed,
 * and belongs to a field manager that Flux's drift correction does not take over. What it prints of a
 * requester's text reaches the terminal with its control characters escaped.
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

  /** Terminal control: ESC (CSI and OSC sequences), CR, BEL, and the bidi override that reverses text. */
  static final List<String> CONTROLS = List.of("\u001b", "\r", "\u0007", "\u202e");

  /**
   * A requester who would rather the approver did not read closely: a reason whose escape sequences
   * erase and rewrite lines and whose second line looks like the database field, and escape
   * sequences in a placeholder, in the rollback plan and in a script. The approver sees every input
   * that changes the run, each control character escaped, the reason's second line indented under
   * it, and the scripts' text as the snapshot holds it, also after the source ConfigMap was edited.
   */
  @Test
  void theApproverSeesEveryInputWithControlCharactersEscapedAndTheSnapshotsScripts() throws Exception {
    String ns = "plugin-escapes";
    g.createNamespace(ns);
    g.bindTheChartsRoles(ns);
    String url = g.database("plugin_escapes");
    Map<String, String> scripts = Fixtures.orders();
    scripts.put(Fixtures.V2, "-- \u001b[2K\u001b[1Areviewed, harmless\n" + scripts.get(Fixtures.V2));
    applyScripts(ns, scripts);
    g.createRequest(ns, "orders", """
        workOrder: WO-1234
        reason: "add orders.status\\x1b[2K\\r\\n  database:   postgresql evil.example:5432/orders"
        migrationTargetName: %s
        migrations:
          configMap: {name: orders-scripts}
        flyway:
          placeholders: {owner: "team\\x1b]0;pwned\\x07"}
        verify:
        - name: status column exists
          sql: "select count(*)\\n  from information_schema.columns where column_name = 'status'"
          expect: "1"
        runner:
          tolerations: [{key: dedicated, operator: Equal, value: migrations, effect: NoSchedule}]
        rollback:
          plan: "alter table orders drop column status;\\u202e"
        timeout: 5m
        """.formatted(Targets.nameOf(url)));
    g.awaitPhase(ns, "orders", "AwaitingApproval", GuardedCluster.PLANNED);
    JsonNode planned = g.request(ns, "orders").at("/status/plan");

    Kubectl.Result plan = require(plugin(g.approver, null, "plan", "orders", "-n", ns, "--show-scripts"));
    for (String control : CONTROLS) {
      assertThat(plan.out()).as("raw %s", control.codePointAt(0)).doesNotContain(control);
      assertThat(plan.err()).as("raw %s", control.codePointAt(0)).doesNotContain(control);
    }
    assertThat(plan.out()).contains(
        "reason:     add orders.status\\x1b[2K\\r\n                database:   postgresql evil.example:5432/orders",
        "database:   postgresql " + url.substring("jdbc:postgresql://".length()),
        "url:        " + url,
        "target:     MigrationTarget " + Targets.nameOf(url),
        "secret:     " + Targets.secretOf(url) + ", keys username and password (their values are never shown)",
        "source:     ConfigMap orders-scripts, copied into the snapshot below",
        "flyway:     schemas (the connection's default); history table flyway_schema_history; out of order: no; "
            + "baseline on migrate: no",
        "placeholders:\n    ${owner} = team\\x1b]0;pwned\\a",
        "verify:\n    status column exists: expects \"1\"\n      sql: select count(*)\n"
            + "             from information_schema.columns where column_name = 'status'",
        "runner pod: ServiceAccount default (its token is never mounted)",
        "tolerations:   map[effect:NoSchedule key:dedicated operator:Equal value:migrations]",
        "timeout:    5m",
        "digest:     " + planned.path("digest").asText() + " (approve pins it: the scripts and the database state)",
        "rollback:   alter table orders drop column status;\\u202e",
        "snapshot ConfigMap " + planned.path("snapshot").asText() + ": uid " + planned.path("snapshotUid").asText()
            + " and content digest " + planned.path("scriptsDigest").asText() + " match status",
        "  --- V2__add_status.sql ---\n    -- \\x1b[2K\\x1b[1Areviewed, harmless\n    alter table orders add column status");

    // the source may still change; what runs, and what is shown, is the snapshot
    Map<String, String> edited = Fixtures.orders();
    edited.put(Fixtures.V2, "drop table orders;\n");
    applyScripts(ns, edited);
    Kubectl.Result again = require(plugin(g.approver, null, "plan", "orders", "-n", ns, "--show-scripts"));
    assertThat(again.out()).contains("-- \\x1b[2K\\x1b[1Areviewed, harmless").doesNotContain("drop table");
  }

  /**
   * Between what approve showed and the approver's yes, the requester deletes the request and
   * creates it again with another target: same scripts, same database state, so the same digest.
   * The approval was written for the request as shown, so it is refused and nothing is approved.
   */
  @Test
  void anApprovalForTheRequestAsShownFailsWhenItChangedMeanwhile() throws Exception {
    String ns = "plugin-pinned";
    g.awaitingApproval(ns, "orders", Fixtures.orders());
    g.bindTheChartsRoles(ns);
    String digest = g.request(ns, "orders").at("/status/plan/digest").asText();
    String shownVersion = g.request(ns, "orders").at("/metadata/resourceVersion").asText();
    String url = g.request(ns, "orders").at("/status/plan/target/url").asText();

    Kubectl.Result approve = g.approver.runPluginAnswering(PLUGIN_DIR,
        "Approve orders as " + ADAM + ", pinned to " + digest + "? [y/N]", () -> {
          require(g.requester.run("delete", "mr", "orders", "-n", ns, "--timeout=60s"));
          g.createRequest(ns, "orders", Fixtures.spec("orders", url).replace("target: latest", "target: \"1\""));
          g.awaitPhase(ns, "orders", "AwaitingApproval", GuardedCluster.PLANNED);
        }, "y\n", "migrationgate", "approve", "orders", "-n", ns);

    refused(approve, "the request changed after it was shown (it was at resourceVersion " + shownVersion
        + "): nothing written. Run kubectl migrationgate approve orders again to see it as it is now.");
    JsonNode recreated = g.request(ns, "orders");
    assertThat(recreated.at("/status/plan/digest").asText()).as("only the pin told them apart").isEqualTo(digest);
    assertThat(recreated.at("/spec/target").asText()).isEqualTo("1");
    assertThat(annotation(ns, "orders", "approved-by")).isEmpty();
    assertThat(annotation(ns, "orders", "approved-digest")).isEmpty();
  }

  /** The requester applies ConfigMap orders-scripts as JSON: YAML may not carry control characters. */
  void applyScripts(String ns, Map<String, String> scripts) {
    ObjectNode configMap = GuardedCluster.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    configMap.putObject("metadata").put("name", "orders-scripts").put("namespace", ns);
    scripts.forEach(configMap.putObject("data")::put);
    require(g.requester.runWithInput(configMap.toString(), "apply", "-f", "-"));
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
