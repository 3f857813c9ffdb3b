package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole flow on a real control plane, as people do it with kubectl: a requester applies YAML,
 * the plan Job reads the database, an approver annotates, the Job runs the runner as a process
 * against PostgreSQL, and the request becomes Ready with evidence that matches what the runner
 * reported.
 */
@ExtendWith(SharedClusters.class)
class MigrationFlowIT {

  static final String NS = "shop";
  static final String RUNS = ChartRelease.NAMESPACE;
  static final String REQUEST_NAMESPACE = "migrationgate.io/request-namespace";
  static final String PROD = "shop-prod";
  static final String RELABELLED = "shop-relabelled";
  static final String RESTART = "shop-restart";
  static final String FAILURES = "shop-failures";
  static final String COMPONENT = "app.kubernetes.io/component";

  static GuardedCluster g;

  @BeforeAll
  static void namespaces(GuardedCluster shared) {
    g = shared;
    g.createNamespace(NS);
    g.cluster.createNamespace(PROD, Map.of("environment", "production"));
    g.createNamespace(RELABELLED);
    g.createNamespace(RESTART);
    g.createNamespace(FAILURES);
  }

  /**
   * The Jobs that run migrations for the requests of {@code namespace}, in the operator's namespace
   * where a target's Jobs run; the plan Jobs before approval only read the database.
   */
  static List<Job> runJobs(String namespace) {
    return g.client.batch().v1().jobs().inNamespace(RUNS).withLabel(COMPONENT, "runner")
        .withLabel(REQUEST_NAMESPACE, namespace).list().getItems();
  }

  static List<Pod> runPods(String namespace) {
    return g.client.pods().inNamespace(RUNS).withLabel(COMPONENT, "runner").withLabel(REQUEST_NAMESPACE, namespace)
        .list().getItems();
  }

  @Test
  void requesterAppliesApproverAnnotatesAndTheMigrationRunsOnceWithEvidence() throws Exception {
    g.awaitingApproval(NS, "orders-add-status", g.database("orders_flow"), Fixtures.orders());

    Kubectl.Result table = GuardedCluster.require(g.requester.run("get", "mr", "-n", NS));
    String header = table.out().lines().findFirst().orElse("");
    assertThat(header.split("\\s+")).containsExactly("NAME", "PHASE", "READY", "REASON", "APPROVER", "AGE");
    assertThat(table.out()).contains("orders-add-status").contains("AwaitingApproval");

    Kubectl.Result selfApproval = g.requester.run("annotate", "mr", "orders-add-status", "-n", NS,
        "migrationgate.io/approved-by=" + LocalUser.REQUESTER.userName());
    assertThat(selfApproval.ok()).as("requesters may not annotate: " + selfApproval).isFalse();
    assertThat(selfApproval.err()).contains("forbidden");
    Kubectl.Result outsider = g.cluster.kubectl(LocalUser.OUTSIDER).run("get", "mr", "-n", NS);
    assertThat(outsider.err()).contains("forbidden");

    g.approve(NS, "orders-add-status");
    Kubectl.Result ready = g.requester.run("wait", "--for=condition=Ready", "mr/orders-add-status", "-n", NS,
        "--timeout=180s");
    assertThat(ready.ok()).as(ready + "\n" + g.describe(NS)).isTrue();

    JsonNode status = g.request(NS, "orders-add-status").get("status");
    assertThat(status.get("phase").asText()).isEqualTo("Succeeded");
    assertThat(status.at("/approval/approvedBy").asText()).isEqualTo(LocalUser.APPROVER.userName());
    String jobName = status.at("/job/name").asText();
    assertThat(status.at("/plan/check/mode").asText()).isEqualTo("Database");
    assertThat(g.client.batch().v1().jobs().inNamespace(NS).list().getItems()).as("no Job beside the request").isEmpty();
    assertThat(g.client.batch().v1().jobs().inNamespace(RUNS).withLabel(REQUEST_NAMESPACE, NS).list().getItems())
        .as("one plan Job, then one Job that ran the migration")
        .extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder(status.at("/plan/check/job").asText(), jobName);
    assertThat(runJobs(NS)).extracting(j -> j.getMetadata().getName()).containsExactly(jobName);

    // what the runner reported (its termination message) is what status and evidence say
    Pod pod = g.client.pods().inNamespace(RUNS).withLabel("job-name", jobName).list().getItems().get(0);
    JsonNode report = GuardedCluster.JSON.readTree(pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getMessage());
    JsonNode result = status.get("result");
    assertThat(result.get("exitCode").asInt()).isZero();
    assertThat(result.get("schemaVersionAfter").asText()).isEqualTo("2").isEqualTo(report.at("/schemaVersionAfter").asText());
    for (String field : List.of("outcome", "exitCode", "message", "flywayVersion", "schemaVersionAfter")) {
      assertThat(result.get(field)).as("status.result." + field).isEqualTo(report.get(field));
    }
    assertThat(result.get("applied").findValuesAsText("version"))
        .containsExactly("1", "2").isEqualTo(report.get("applied").findValuesAsText("version"));
    assertThat(result.get("verification").findValuesAsText("name"))
        .isEqualTo(report.get("verification").findValuesAsText("name"));
    assertThat(result.get("applied")).hasSize(2);
    assertThat(result.at("/applied/1/version").asText()).isEqualTo("2");
    assertThat(result.at("/verification/0/passed").asBoolean()).isTrue();
    String evidence = status.at("/evidence/configMap").asText();
    // the operator read the runner's log through the API server and the kubelet's log endpoint
    Map<String, String> evidenceData = g.client.configMaps().inNamespace(RUNS).withName(evidence).get().getData();
    assertThat(GuardedCluster.JSON.readTree(evidenceData.get("report.json")).get("schemaVersionAfter").asText()).isEqualTo("2");
    assertThat(evidenceData.get("log-tail")).contains("applied 2 migrations");

    assertThat(g.columns("orders_flow", "orders", "status")).isEqualTo(1);
    assertThat(g.appliedMigrations("orders_flow")).isEqualTo(2);

    // the runs reader Role, bound in the operator's namespace as docs/approvals.md says, lets the requester read it
    Kubectl.Result logs = g.requester.run("logs", "job/" + jobName, "-n", RUNS);
    assertThat(logs.ok()).as(logs.toString()).isTrue();
    assertThat(logs.out()).contains("MIGRATION-GATE-REPORT");
    Kubectl.Result tail = g.requester.run("logs", "job/" + jobName, "-n", RUNS, "--tail=1");
    assertThat(tail.out().lines().count()).as(tail.toString()).isEqualTo(1);
  }

  @Test
  void aRequestInAProductionNamespaceIsRefusedAtCreation() throws Exception {
    Kubectl.Result refused = g.requester.runWithInput(
        g.requestYaml(PROD, "orders-add-status", Fixtures.spec("orders-add-status", g.database("orders_prod"))),
        "apply", "-f", "-");
    assertThat(refused.ok()).as("created in a production namespace: " + refused).isFalse();
    assertThat(refused.err()).contains("namespace " + PROD + " matches the blocked selector");
    assertThat(g.admin.run("get", "mr", "-n", PROD, "-o", "name").out()).isEmpty();
  }

  @Test
  void approvedRequestInANamespaceRelabelledProductionIsBlockedAndNeverRuns() throws Exception {
    g.awaitingApproval(RELABELLED, "orders-add-status", g.database("orders_relabelled"), Fixtures.orders());
    // the admission policy checks at creation only: the operator is the guard for requests already there
    GuardedCluster.require(g.admin.run("label", "--overwrite", "namespace", RELABELLED, "environment=production"));
    g.awaitVerdict(RELABELLED, "orders-add-status", "Blocked", "Blocked", "ProductionNamespace", GuardedCluster.VERDICT);
    g.approve(RELABELLED, "orders-add-status");

    // A window, as no positive signal exists: approving a Blocked request changes nothing the operator records.
    await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(12)).pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> {
          assertThat(runJobs(RELABELLED)).isEmpty();
          assertThat(g.phase(RELABELLED, "orders-add-status")).isEqualTo("Blocked");
        });
    assertThat(runPods(RELABELLED)).isEmpty();
    assertThat(g.count("orders_relabelled", "select count(*) from information_schema.tables where table_schema = 'public'"))
        .as("tables in the production database").isZero();
  }

  @Test
  void operatorKilledAfterTheJobExistsDoesNotLaunchTwice() throws Exception {
    // a migration that takes a while, so that the operator dies while its Job runs
    g.awaitingApproval(RESTART, "slow-orders", g.database("orders_slow"), Fixtures.slowOrders(8));
    g.approve(RESTART, "slow-orders");
    await().atMost(GuardedCluster.LAUNCHED).pollInterval(Duration.ofMillis(100))
        .until(() -> !runJobs(RESTART).isEmpty());
    Job first;
    try {
      g.killOperator();
      first = runJobs(RESTART).get(0);
      g.release.startOperator();
    } finally {
      g.ensureOperatorRunning();
    }
    Kubectl.Result ready = g.requester.run("wait", "--for=condition=Ready", "mr/slow-orders", "-n", RESTART,
        "--timeout=180s");
    assertThat(ready.ok()).as(ready + "\n" + g.describe(RESTART)).isTrue();

    assertThat(runJobs(RESTART)).singleElement()
        .satisfies(job -> assertThat(job.getMetadata().getUid()).isEqualTo(first.getMetadata().getUid()));
    assertThat(runPods(RESTART)).hasSize(1);
    JsonNode status = g.request(RESTART, "slow-orders").get("status");
    assertThat(status.at("/job/uid").asText()).isEqualTo(first.getMetadata().getUid());
    assertThat(status.at("/result/schemaVersionAfter").asText()).isEqualTo("2");
    assertThat(g.appliedMigrations("orders_slow")).as("each script applied once").isEqualTo(2);
  }

  @Test
  void aTargetsSecretCreatedAfterTheRequestIsWaitedForAndTheRunGoesOn() throws Exception {
    // The platform's Secret may come after its target (a secrets operator syncing it, say).
    String name = "late-secret";
    String url = g.database("orders_latesecret");
    String secret = Targets.secretOf(url);
    GuardedCluster.require(g.admin.run("delete", "secret", secret, "-n", ChartRelease.NAMESPACE));
    g.createSource(FAILURES, name, Fixtures.orders());
    g.createRequest(FAILURES, name, Fixtures.spec(name, url));

    // the plan Job waits for it, with the kubelet's own words and what to create
    JsonNode waiting = g.awaitRequest(FAILURES, name, "a Ready message naming the missing Secret and its keys",
        r -> GuardedCluster.condition(r, "Ready").path("message").asText()
            .matches("(?s).*secret \"" + secret + "\" not found.*username and password keys.*"),
        GuardedCluster.PLANNED);
    assertThat(waiting.at("/status/phase").asText()).isEqualTo("Pending");
    g.registerTarget(url);
    g.awaitPhase(FAILURES, name, "AwaitingApproval", GuardedCluster.PLANNED);

    // the run's Job waits the same way when the Secret is gone by then (replaced by a secrets operator, say)
    GuardedCluster.require(g.admin.run("delete", "secret", secret, "-n", ChartRelease.NAMESPACE));
    g.approve(FAILURES, name);
    JsonNode running = g.awaitVerdict(FAILURES, name, "Running", "Ready", "CredentialsSecretNotFound",
        GuardedCluster.FINISHED);
    assertThat(GuardedCluster.condition(running, "Ready").path("message").asText())
        .contains("secret \"" + secret + "\" not found");
    assertThat(g.tables("orders_latesecret", "flyway_schema_history")).isZero();

    g.registerTarget(url);
    g.awaitPhase(FAILURES, name, "Succeeded", GuardedCluster.FINISHED);
    assertThat(g.tables("orders_latesecret", "flyway_schema_history")).isEqualTo(1);
  }

  @Test
  void failingScriptEndsFailedWithTheRunnersReasonAndKeepsWhatWasApplied() throws Exception {
    g.awaitingApproval(FAILURES, "broken-script", g.database("orders_broken"), Fixtures.ordersFailingAtV2());
    g.approve(FAILURES, "broken-script");

    JsonNode failed = g.awaitVerdict(FAILURES, "broken-script", "Failed", "Failed", "MigrationFailed",
        GuardedCluster.FINISHED);
    JsonNode result = failed.at("/status/result");
    assertThat(result.get("exitCode").asInt()).isNotZero();
    assertThat(result.get("message").asText()).contains("V2");
    Kubectl.Result notReady = g.requester.run("get", "mr", "broken-script", "-n", FAILURES, "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
    assertThat(notReady.out()).isEqualTo("False");
    assertThat(g.query("orders_broken", "select string_agg(version || ':' || success, ',' order by installed_rank)"
        + " from flyway_schema_history where version is not null")).as("V1 applied, V2 not").isEqualTo("1:true");
  }
}
