package io.migrationgate.localcluster;

import static io.migrationgate.localcluster.GuardedCluster.require;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A target's approval rule on the real API server with the chart installed: a destructive plan needs
 * two distinct approvers, one of them a DBA; the admission policies check who writes which approval
 * and the operator counts them. Each step is tried as the person who would try to get around it.
 */
@ExtendWith(SharedClusters.class)
class ApprovalRulesIT {

  static final String DBA = "dba";
  static final String SHOP = "shop-approvers";
  static final String BOT = "system:serviceaccount:flux-system:kustomize-controller";
  static final String RULE = "{\"spec\":{\"approvals\":{\"approverGroups\":[\"" + DBA + "\",\"" + SHOP + "\"],"
      + "\"requiredForServiceAccountRequests\":2,\"destructive\":{\"required\":2,\"requiredGroups\":[\"" + DBA + "\"]}}}}";

  private final GuardedCluster g;

  ApprovalRulesIT(GuardedCluster guarded) {
    this.g = guarded;
  }

  /** As {@code user} in the chart's approver group and {@code groups}. */
  Kubectl.Result as(String user, List<String> groups, String... args) {
    List<String> all = new ArrayList<>(List.of("--as", user, "--as-group", Rbac.APPROVERS));
    groups.forEach(group -> all.addAll(List.of("--as-group", group)));
    all.addAll(List.of(args));
    return g.admin.run(all.toArray(String[]::new));
  }

  Kubectl.Result approveAs(String user, List<String> groups, String ns, String name, String key, String digest,
      String group) {
    List<String> args = new ArrayList<>(List.of("annotate", "--overwrite", "mr", name, "-n", ns,
        "approval.migrationgate.io/" + key + "=" + digest + " " + user));
    if (group != null) {
      args.add("approval-group.migrationgate.io/" + key + "=" + group);
    }
    return as(user, groups, args.toArray(String[]::new));
  }

  static void refused(Kubectl.Result result, String why) {
    assertThat(result.ok()).as("refused: " + result).isFalse();
    assertThat(result.err()).contains(why);
  }

  String approvedMessage(String ns, String name) {
    return g.condition(ns, name, "Approved").path("message").asText();
  }

  JsonNode awaitMessage(String ns, String name, String part) {
    return g.awaitRequest(ns, name, "Approved message containing " + part,
        r -> GuardedCluster.condition(r, "Approved").path("message").asText().contains(part), GuardedCluster.VERDICT);
  }

  @Test
  void aDestructivePlanRunsOnlyWithTwoDistinctApproversOneOfThemADba() throws Exception {
    String ns = "rules-destructive";
    g.createNamespace(ns);
    String url = g.database("rules_destructive");
    // V1 and V2 first, before the rule: the review flags what a script does to tables that exist
    g.submit(ns, "first", Fixtures.orders(), Fixtures.unverifiedSpec("first", url) + "connectBeforeApproval: false\n");
    g.awaitPhase(ns, "first", "AwaitingApproval", GuardedCluster.PLANNED);
    g.approve(ns, "first");
    g.awaitPhase(ns, "first", "Succeeded", GuardedCluster.FINISHED);
    require(g.admin.run("patch", "migrationtarget", Targets.nameOf(url), "--type=merge", "-p", RULE));
    Map<String, String> scripts = Fixtures.orders();
    scripts.put("V3__purge.sql", "delete from orders;\n");
    g.submit(ns, "purge", scripts, Fixtures.spec("purge", url));
    g.awaitPhase(ns, "purge", "AwaitingApproval", GuardedCluster.PLANNED);
    JsonNode planned = g.request(ns, "purge");
    assertThat(planned.at("/status/plan/risk/level").asText()).isEqualTo("destructive");
    assertThat(planned.at("/status/plan/target/approvals/destructive/required").asInt()).as("the rule copied").isEqualTo(2);
    String digest = planned.at("/status/plan/digest").asText();

    // one DBA: not enough
    require(approveAs("alice", List.of(DBA), ns, "purge", "alice", digest, DBA));
    awaitMessage(ns, "purge", "1 of 2 distinct approvals, one of them from a member of dba (for destructive risk) so far: alice");
    // the same approver twice counts once
    require(approveAs("alice", List.of(DBA), ns, "purge", "alice-again", digest, null));
    awaitMessage(ns, "purge", "alice again (one person counts once)");
    assertThat(g.phase(ns, "purge")).isEqualTo("AwaitingApproval");

    // the requester, even in the approver groups, takes no part
    String rita = LocalUser.REQUESTER.userName();
    refused(approveAs(rita, List.of(DBA, Rbac.REQUESTERS), ns, "purge", "rita", digest, null),
        rita + " requested this migration");
    // nobody approves in another's name, claims a group they are not in, or removes another's approval
    refused(approveAs("bob", List.of(SHOP), ns, "purge", "bob", digest, DBA), "names a group you are a member of");
    refused(as("bob", List.of(SHOP), "annotate", "--overwrite", "mr", "purge", "-n", ns,
        "approval.migrationgate.io/carol=" + digest + " carol"), "nobody approves in someone else's name");
    refused(as("bob", List.of(SHOP), "annotate", "mr", "purge", "-n", ns, "approval.migrationgate.io/alice-"),
        "only the approver it names may change or remove");
    // an approver of the chart's group outside the target's approverGroups
    refused(approveAs("eve", List.of(), ns, "purge", "eve", digest, null),
        "takes approvals only from members of dba, shop-approvers");
    assertThat(g.phase(ns, "purge")).isEqualTo("AwaitingApproval");

    // a second, distinct approver: the run starts and succeeds
    require(approveAs("bob", List.of(SHOP), ns, "purge", "bob", digest, null));
    JsonNode done = g.awaitPhase(ns, "purge", "Succeeded", GuardedCluster.FINISHED);
    assertThat(done.at("/status/approval/approvers")).extracting(JsonNode::asText).containsExactly("alice", "bob");
    assertThat(done.at("/status/approval/required").asInt()).isEqualTo(2);
    assertThat(g.count("rules_destructive", "select count(*) from orders")).isZero();
  }

  @Test
  void aRequestAServiceAccountCreatedNeedsTwoApprovers() throws Exception {
    String ns = "rules-synced";
    g.createNamespace(ns);
    String url = g.database("rules_synced");
    require(g.admin.run("patch", "migrationtarget", Targets.nameOf(url), "--type=merge", "-p",
        "{\"spec\":{\"approvals\":{\"requiredForServiceAccountRequests\":2}}}"));
    require(g.admin.run("create", "rolebinding", "flux-requests", "-n", ns,
        "--clusterrole=" + ChartRelease.RELEASE + "-migration-gate-requester", "--user=" + BOT));
    require(g.admin.runWithInput(Yaml.scripts(ns, "sync-scripts", Fixtures.orders()), "apply", "-f", "-"));
    String request = g.requestedBy.request(ns, "sync", BOT, Fixtures.spec("sync", url));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).ignoreExceptions()
        .until(() -> g.admin.runWithInput(request, "--as", BOT, "create", "-f", "-").ok());
    JsonNode planned = g.awaitPhase(ns, "sync", "AwaitingApproval", GuardedCluster.PLANNED);
    String digest = planned.at("/status/plan/digest").asText();

    require(approveAs("alice", List.of(DBA), ns, "sync", "alice", digest, null));
    awaitMessage(ns, "sync", "1 of 2 distinct approvals (because a ServiceAccount requested it) so far: alice");
    assertThat(g.phase(ns, "sync")).isEqualTo("AwaitingApproval");
    // the second approver uses the plugin, which adds their own approval beside alice's
    Kubectl.Result approved = g.approver.runPlugin(KubectlPluginIT.PLUGIN_DIR, null, "migrationgate", "approve", "sync",
        "-n", ns, "--yes");
    assertThat(approved.ok()).as(approved.toString()).isTrue();
    assertThat(approved.out()).contains("approval rule (MigrationTarget", "requests by a ServiceAccount: 2",
        "approval:   " + digest + " alice");
    JsonNode done = g.awaitPhase(ns, "sync", "Succeeded", GuardedCluster.FINISHED);
    String adam = LocalUser.APPROVER.userName();
    assertThat(done.at("/metadata/annotations").path("approval.migrationgate.io/" + adam).asText())
        .isEqualTo(digest + " " + adam);
    assertThat(done.at("/status/approval/approvers")).extracting(JsonNode::asText).containsExactlyInAnyOrder("alice", adam);
  }
}
