package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Anyone may write an ownerReference, a label or an annotation. An attacker with
 * the namespace's ordinary {@code edit} rights (ConfigMaps, Jobs, Pods) plants objects that look
 * like the operator's: a snapshot, a Job, a runner pod. The operator must trust only what it
 * created and recorded by uid, never adopt a look-alike, and end a request whose name is squatted
 * with a condition that names the squatter.
 */
@ExtendWith(SharedClusters.class)
class ForgedOwnedObjectsIT {

  private final GuardedCluster g;

  ForgedOwnedObjectsIT(GuardedCluster guarded) {
    this.g = guarded;
  }

  /** A request waiting for its approver in a namespace where the attacker may edit. */
  void awaitingApprovalBesideAnAttacker(String namespace, Map<String, String> scripts) throws Exception {
    g.awaitingApproval(namespace, "orders", scripts);
    g.grantAttackerEdit(namespace);
  }

  /** What the operator puts on everything it creates for a request, and a controller reference to it. */
  static String ownedMetadata(String namespace, String name, String uid, String component, String objectName) {
    return """
        metadata:
          name: %s
          namespace: %s
          labels:
            app.kubernetes.io/name: migration-gate
            app.kubernetes.io/managed-by: migration-gate
            app.kubernetes.io/component: %s
            migrationgate.io/request-uid: %s
          annotations:
            migrationgate.io/request: %s
          ownerReferences:
          - {apiVersion: migrationgate.io/v1alpha1, kind: MigrationRequest, name: %s, uid: %s, controller: true}
        """.formatted(objectName, namespace, component, uid, name, name, uid);
  }

  @Test
  void decoySnapshotPlantedBeforeTheSourceExistsIsNotTakenAsThePlan() throws Exception {
    String ns = "decoy-snapshot";
    g.createNamespace(ns);
    g.grantAttackerEdit(ns);
    g.submit(ns, "orders", g.database("decoy_snapshot"), null);
    await().atMost(GuardedCluster.PLANNED).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(g.conditionWithReason(ns, "orders", "SourceNotFound").isMissingNode())
            .as("SourceNotFound; status: %s", g.request(ns, "orders").path("status")).isFalse());
    String uid = g.uid(ns, "orders");
    String decoy = GuardedCluster.objectBase("orders", uid) + "-plan";
    String decoyUid = g.attackerCreates("apiVersion: v1\nkind: ConfigMap\n"
        + ownedMetadata(ns, "orders", uid, "plan", decoy)
        + "data:\n  V1__create_orders.sql: \"create table orders (id bigint primary key); create role mallory superuser;\"\n");

    Map<String, String> scripts = Fixtures.orders();
    g.createSource(ns, "orders", scripts);
    g.awaitPhase(ns, "orders", "AwaitingApproval", GuardedCluster.PLANNED);

    JsonNode plan = g.request(ns, "orders").at("/status/plan");
    assertThat(plan.path("snapshot").asText()).as("status.plan.snapshot; plan: %s", plan).isNotEqualTo(decoy);
    String snapshotUid = plan.path("snapshotUid").asText();
    assertThat(snapshotUid).as("status.plan.snapshotUid; plan: %s", plan).isNotBlank().isNotEqualTo(decoyUid);
    ConfigMap snapshot = g.client.configMaps().inNamespace(ChartRelease.NAMESPACE).withName(plan.path("snapshot").asText())
        .get();
    assertThat(snapshot).as("the snapshot ConfigMap %s", plan.path("snapshot").asText()).isNotNull();
    assertThat(snapshot.getMetadata().getUid()).as("the uid of %s", snapshot.getMetadata().getName())
        .isEqualTo(snapshotUid);
    assertThat(snapshot.getImmutable()).as("immutable").isTrue();
    assertThat(snapshot.getData()).as("the snapshot's scripts").isEqualTo(scripts);
  }

  /**
   * Beside an inline database's request this Job would be adopted or end the request
   * (OwnedObjectConflict, TrustedObjectsTest); a target's run Job is in the operator's namespace,
   * where the attacker cannot plant one, so the decoy changes nothing.
   */
  @Test
  void decoyJobAtTheJobsNameIsNeverAdoptedAndTheRunGoesOnWhereTheAttackerCannotReach() throws Exception {
    String ns = "decoy-job";
    awaitingApprovalBesideAnAttacker(ns, Fixtures.orders());
    String uid = g.uid(ns, "orders");
    String job = GuardedCluster.jobName("orders", uid);
    // suspended: it never needs a pod to be mistaken for the migration
    String decoyUid = g.attackerCreates("apiVersion: batch/v1\nkind: Job\n"
        + ownedMetadata(ns, "orders", uid, "runner", job)
        + """
        spec:
          suspend: true
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              containers:
              - {name: runner, image: "migration-gate:local", args: ["run", "--scripts", "/attacker"]}
        """);

    g.approve(ns, "orders");
    JsonNode status = g.awaitFinished(ns, "orders").path("status");
    assertThat(status.path("phase").asText()).as("status: %s", status).isEqualTo("Succeeded");
    assertThat(status.at("/job/name").asText()).isEqualTo(job);
    assertThat(status.at("/job/uid").asText()).as("the attacker's Job was adopted").isNotEqualTo(decoyUid);
    assertThat(g.client.batch().v1().jobs().inNamespace(ChartRelease.NAMESPACE).withName(job).get().getMetadata().getUid())
        .isEqualTo(status.at("/job/uid").asText());
    assertThat(g.client.batch().v1().jobs().inNamespace(ns).withName(job).get().getSpec().getSuspend())
        .as("the decoy is left as it was").isTrue();
  }

  @Test
  void decoyRunnerPodThatCannotStartNeitherStopsTheRealJobNorBecomesItsResult() throws Exception {
    String ns = "decoy-pod";
    awaitingApprovalBesideAnAttacker(ns, Fixtures.slowOrders(8));

    try (JobWatch jobs = g.watchJobs(ns)) {
      g.approve(ns, "orders");
      JsonNode launched = g.awaitJobRecorded(ns, "orders");
      String job = launched.at("/status/job/uid").asText();
      String jobName = launched.at("/status/job/name").asText();
      Pod real = await().atMost(GuardedCluster.LAUNCHED).pollInterval(Duration.ofMillis(200))
          .until(() -> g.client.pods().inNamespace(ChartRelease.NAMESPACE).withLabel("batch.kubernetes.io/controller-uid", job)
              .list()
              .getItems().stream().filter(p -> "Running".equals(p.getStatus().getPhase())).findFirst().orElse(null),
              p -> p != null);

      // the runner's labels but not the Job controller's selector: with it the Job controller would
      // count the decoy as its own pod, and nobody could tell them apart. The real pod is in the
      // operator's namespace; the attacker can plant the decoy only beside the request (an owner
      // reference to the Job would point into another namespace, and the garbage collector would
      // delete the decoy)
      String labels = real.getMetadata().getLabels().entrySet().stream()
          .filter(e -> !e.getKey().endsWith("controller-uid"))
          .map(e -> "    " + e.getKey() + ": \"" + e.getValue() + "\"")
          .collect(Collectors.joining("\n"));
      g.attackerCreates("""
          apiVersion: v1
          kind: Pod
          metadata:
            name: %s-decoy
            namespace: %s
            labels:
          %s
            annotations:
              migrationgate.io/request: orders
          spec:
            restartPolicy: Never
            containers:
            - name: runner
              image: "migration-gate:local"
              env:
              - name: PASSWORD
                valueFrom: {secretKeyRef: {name: no-such-secret, key: password}}
          """.formatted(jobName, ns, labels.indent(2).stripTrailing()));
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
        Pod decoy = g.client.pods().inNamespace(ns).withName(jobName + "-decoy").get();
        return decoy != null && decoy.getStatus().getContainerStatuses() != null
            && decoy.getStatus().getContainerStatuses().stream().anyMatch(c -> c.getState().getWaiting() != null
                && "CreateContainerConfigError".equals(c.getState().getWaiting().getReason()));
      });

      JsonNode status = g.awaitFinished(ns, "orders").path("status");
      assertThat(jobs.deletedUids()).as("the real Job was deleted; status: %s", status).doesNotContain(job);
      assertThat(status.path("phase").asText()).as("status: %s", status).isEqualTo("Succeeded");
      assertThat(status.at("/job/pod").asText()).as("status.job.pod").isEqualTo(real.getMetadata().getName());
      assertThat(status.at("/result/schemaVersionAfter").asText()).as("status.result").isEqualTo("2");
    }
  }
}
