package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MigrationTargets with the chart's defaults on the real API server: the requester names a database
 * the platform registered, and the credentials, the Jobs and the evidence stay where she has no
 * rights. Each test is run as the person who would try to get around it.
 */
@ExtendWith(SharedClusters.class)
class TargetsIT {

  private final GuardedCluster g;

  TargetsIT(GuardedCluster guarded) {
    this.g = guarded;
  }

  @Test
  void theRequesterNeitherReadsTheTargetsSecretNorReachesWhereItsJobsRun() throws Exception {
    String ns = "targets-reach";
    g.createNamespace(ns);
    g.bindTheChartsRoles(ns);
    String url = g.database("targets_reach");
    g.awaitingApproval(ns, "orders", url, Fixtures.orders());
    for (String[] may : new String[][] {{"get", "secrets"}, {"create", "pods"}, {"create", "jobs.batch"},
        {"delete", "configmaps"}, {"create", "configmaps"}}) {
      assertThat(g.requester.run("auth", "can-i", may[0], may[1], "-n", ChartRelease.NAMESPACE).out().strip())
          .as("the requester may %s %s where a target's Jobs run", may[0], may[1]).isEqualTo("no");
    }
    Kubectl.Result secret = g.requester.run("get", "secret", Targets.secretOf(url), "-n", ChartRelease.NAMESPACE);
    assertThat(secret.ok()).isFalse();
    assertThat(secret.err()).contains("forbidden");

    g.approve(ns, "orders");
    JsonNode done = g.awaitPhase(ns, "orders", "Succeeded", GuardedCluster.FINISHED);
    String job = done.at("/status/job/name").asText();
    assertThat(g.client.batch().v1().jobs().inNamespace(ChartRelease.NAMESPACE).withName(job).get())
        .as("the run Job is in the operator's namespace").isNotNull();
    assertThat(g.client.batch().v1().jobs().inNamespace(ns).list().getItems()).as("no Job beside the request").isEmpty();
    String evidence = done.at("/status/evidence/configMap").asText();
    Kubectl.Result replaced = g.requester.run("delete", "configmap", evidence, "-n", ChartRelease.NAMESPACE);
    assertThat(replaced.ok()).as("the requester deletes the evidence: " + replaced).isFalse();
  }

  @Test
  void aJobPlantedInTheRequestersNamespaceAtTheRunJobsNameChangesNothing() throws Exception {
    String ns = "targets-decoy";
    g.createNamespace(ns);
    g.grantAttackerEdit(ns);
    g.awaitingApproval(ns, "orders", g.database("targets_decoy"), Fixtures.orders());
    String runJob = GuardedCluster.jobName("orders", g.uid(ns, "orders"));
    // what injected the runner's settings before: a Job at the run Job's name with envFrom
    g.attackerCreates("""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: %s, namespace: %s}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers:
              - name: runner
                image: busybox
                envFrom: [{configMapRef: {name: attacker-settings}}]
        """.formatted(runJob, ns));

    g.approve(ns, "orders");
    JsonNode done = g.awaitPhase(ns, "orders", "Succeeded", GuardedCluster.FINISHED);
    assertThat(done.at("/status/job/name").asText()).isEqualTo(runJob);
    assertThat(g.client.batch().v1().jobs().inNamespace(ChartRelease.NAMESPACE).withName(runJob).get()
        .getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom())
        .as("the Job that ran is the operator's, in its namespace").isNullOrEmpty();
    assertThat(g.tables("targets_decoy", "orders")).isEqualTo(1);
  }

  @Test
  void aTargetThatDoesNotAdmitTheNamespaceBlocksTheRequestUntilTheNamespaceIsAdmitted() throws Exception {
    String ns = "targets-tenant";
    g.createNamespace(ns);
    String url = g.database("targets_tenant");
    String target = Targets.nameOf(url);
    GuardedCluster.require(g.admin.run("patch", "migrationtarget", target, "--type=merge", "-p",
        "{\"spec\":{\"namespaceSelector\":{\"matchLabels\":{\"team\":\"billing\"}}}}"));
    g.createSource(ns, "orders", Fixtures.orders());
    g.createRequest(ns, "orders", Fixtures.spec("orders", url));
    JsonNode blocked = g.awaitVerdict(ns, "orders", "Blocked", "Ready", "TargetNotAllowed", GuardedCluster.PLANNED);
    assertThat(GuardedCluster.condition(blocked, "Ready").path("message").asText()).contains("team=billing");
    assertThat(g.client.batch().v1().jobs().inNamespace(ChartRelease.NAMESPACE)
        .withLabel("migrationgate.io/request-namespace", ns).list().getItems()).as("nothing planned").isEmpty();

    GuardedCluster.require(g.admin.run("label", "namespace", ns, "team=billing"));
    g.awaitPhase(ns, "orders", "AwaitingApproval", GuardedCluster.PLANNED);
    g.approve(ns, "orders");
    g.awaitPhase(ns, "orders", "Succeeded", GuardedCluster.FINISHED);
  }

  @Test
  void deletingTheRequestDeletesItsJobsAndSnapshotAndKeepsItsEvidence() throws Exception {
    String ns = "targets-delete";
    g.createNamespace(ns);
    g.awaitingApproval(ns, "orders", g.database("targets_delete"), Fixtures.orders());
    g.approve(ns, "orders");
    JsonNode done = g.awaitPhase(ns, "orders", "Succeeded", GuardedCluster.FINISHED);
    String uid = g.uid(ns, "orders");

    GuardedCluster.require(g.admin.run("delete", "mr", "orders", "-n", ns, "--timeout=60s"));
    var owned = g.client.configMaps().inNamespace(ChartRelease.NAMESPACE).withLabel("migrationgate.io/request-uid", uid);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() ->
        g.client.batch().v1().jobs().inNamespace(ChartRelease.NAMESPACE).withLabel("migrationgate.io/request-uid", uid)
            .list().getItems().isEmpty()
            && g.client.configMaps().inNamespace(ChartRelease.NAMESPACE).withName(done.at("/status/plan/snapshot").asText())
                .get() == null);
    assertThat(owned.list().getItems()).extracting(c -> c.getMetadata().getName())
        .as("the evidence stays").contains(done.at("/status/evidence/configMap").asText());
  }

  @Test
  void aRequestDeletedBeforeApprovalLeavesNothingInTheRunsNamespace() throws Exception {
    String ns = "targets-unapproved";
    g.createNamespace(ns);
    g.awaitingApproval(ns, "orders", g.database("targets_unapproved"), Fixtures.orders());
    String uid = g.uid(ns, "orders");
    var left = g.client.configMaps().inNamespace(ChartRelease.NAMESPACE).withLabel("migrationgate.io/request-uid", uid);
    assertThat(left.list().getItems()).as("its snapshot and the plan's evidence").hasSizeGreaterThanOrEqualTo(2);

    GuardedCluster.require(g.admin.run("delete", "mr", "orders", "-n", ns, "--timeout=60s"));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() ->
        left.list().getItems().isEmpty()
            && g.client.batch().v1().jobs().inNamespace(ChartRelease.NAMESPACE).withLabel("migrationgate.io/request-uid", uid)
                .list().getItems().isEmpty());
    assertThat(g.admin.run("get", "migrationrecord", uid).err())
        .as("nothing ran on an approval: no record, and no evidence kept for one").contains("NotFound");
  }
}
