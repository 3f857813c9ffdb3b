package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
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
@ExtendWith(GuardedClusterExtension.class)
class MigrationFlowIT {

  static final String NS = "shop";
  static final String PROD = "shop-prod";
  static final String RELABELLED = "shop-relabelled";
  static final String RESTART = "shop-restart";
  static final String FAILURES = "shop-failures";
  static final ObjectMapper JSON = new ObjectMapper();
  static final String COMPONENT = "app.kubernetes.io/component";

  static GuardedCluster guarded;
  static LocalCluster cluster;
  static Kubectl requester;
  static Kubectl approver;
  static Kubectl admin;

  @BeforeAll
  static void namespaces(GuardedCluster shared) {
    guarded = shared;
    cluster = shared.cluster;
    cluster.createNamespace(NS, Map.of("environment", "dev"));
    cluster.createNamespace(PROD, Map.of("environment", "production"));
    cluster.createNamespace(RELABELLED, Map.of("environment", "dev"));
    cluster.createNamespace(RESTART, Map.of("environment", "dev"));
    cluster.createNamespace(FAILURES, Map.of("environment", "dev"));
    requester = cluster.kubectl(LocalUser.REQUESTER);
    approver = cluster.kubectl(LocalUser.APPROVER);
    admin = cluster.kubectl(LocalUser.ADMIN);
  }

  static Map<String, String> ordersScripts(String extraV1) {
    Map<String, String> scripts = new LinkedHashMap<>();
    scripts.put("V1__create_orders.sql", extraV1 + "create table orders (id bigint primary key, total numeric(10,2) not null);\n");
    scripts.put("V2__add_status.sql", "alter table orders add column status text not null default 'new';\n");
    return scripts;
  }

  /** Applies the Secret, the scripts and the request as the requester; returns the database name. */
  static String submit(String namespace, String name, String database, Map<String, String> scripts) throws Exception {
    String url = cluster.postgres().createDatabase(database);
    String yaml = String.join("---\n",
        Yaml.secret(namespace, name + "-db", LocalPostgres.MIGRATOR, cluster.postgres().password()),
        Yaml.scripts(namespace, name + "-scripts", scripts),
        Yaml.request(namespace, name, Yaml.spec(url, name + "-scripts", name + "-db")));
    Kubectl.Result applied = requester.runWithInput(yaml, "apply", "-f", "-");
    assertThat(applied.ok()).as(applied.toString()).isTrue();
    return database;
  }

  static String phase(String namespace, String name) {
    return admin.run("get", "mr", name, "-n", namespace, "-o", "jsonpath={.status.phase}").out();
  }

  static void awaitPhase(String namespace, String name, String phase) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(phase(namespace, name)).as(namespace + "/" + name).isEqualTo(phase));
  }

  static JsonNode request(String namespace, String name) throws Exception {
    Kubectl.Result got = admin.run("get", "mr", name, "-n", namespace, "-o", "json");
    assertThat(got.ok()).as(got.toString()).isTrue();
    return JSON.readTree(got.out());
  }

  static void approve(String namespace, String name) {
    Kubectl.Result annotated = approver.run("annotate", "mr", name, "-n", namespace,
        "migrationgate.io/approved-by=" + LocalUser.APPROVER.userName());
    assertThat(annotated.ok()).as(annotated.toString()).isTrue();
  }

  static List<Job> jobs(String namespace) {
    return cluster.controlPlane().admin().batch().v1().jobs().inNamespace(namespace).list().getItems();
  }

  /** The Jobs that run migrations; the plan Jobs before approval only read the database. */
  static List<Job> runJobs(String namespace) {
    return cluster.controlPlane().admin().batch().v1().jobs().inNamespace(namespace)
        .withLabel(COMPONENT, "runner").list().getItems();
  }

  static List<Pod> runPods(String namespace) {
    return cluster.controlPlane().admin().pods().inNamespace(namespace).withLabel(COMPONENT, "runner").list()
        .getItems();
  }

  @Test
  void requesterAppliesApproverAnnotatesAndTheMigrationRunsOnceWithEvidence() throws Exception {
    String database = submit(NS, "orders-add-status", "orders_flow", ordersScripts(""));
    awaitPhase(NS, "orders-add-status", "AwaitingApproval");

    Kubectl.Result table = requester.run("get", "mr", "-n", NS);
    assertThat(table.ok()).as(table.toString()).isTrue();
    String header = table.out().lines().findFirst().orElse("");
    assertThat(header.split("\\s+")).containsExactly("NAME", "PHASE", "READY", "REASON", "APPROVER", "AGE");
    assertThat(table.out()).contains("orders-add-status").contains("AwaitingApproval");

    Kubectl.Result selfApproval = requester.run("annotate", "mr", "orders-add-status", "-n", NS,
        "migrationgate.io/approved-by=" + LocalUser.REQUESTER.userName());
    assertThat(selfApproval.ok()).as("requesters may not annotate: " + selfApproval).isFalse();
    assertThat(selfApproval.err()).contains("forbidden");
    Kubectl.Result outsider = cluster.kubectl(LocalUser.OUTSIDER).run("get", "mr", "-n", NS);
    assertThat(outsider.err()).contains("forbidden");

    approve(NS, "orders-add-status");
    Kubectl.Result ready = requester.run("wait", "--for=condition=Ready", "mr/orders-add-status", "-n", NS,
        "--timeout=180s");
    assertThat(ready.ok()).as(ready + "\n" + admin.run("get", "mr,jobs,pods", "-n", NS, "-o", "yaml").out()).isTrue();

    JsonNode status = request(NS, "orders-add-status").get("status");
    assertThat(status.get("phase").asText()).isEqualTo("Succeeded");
    assertThat(status.at("/approval/approvedBy").asText()).isEqualTo(LocalUser.APPROVER.userName());
    String jobName = status.at("/job/name").asText();
    assertThat(status.at("/plan/check/mode").asText()).isEqualTo("Database");
    assertThat(jobs(NS)).as("one plan Job, then one Job that ran the migration")
        .extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder(status.at("/plan/check/job").asText(), jobName);
    assertThat(runJobs(NS)).extracting(j -> j.getMetadata().getName()).containsExactly(jobName);

    // what the runner reported (its termination message) is what status and evidence say
    Pod pod = cluster.controlPlane().admin().pods().inNamespace(NS).withLabel("job-name", jobName).list().getItems().get(0);
    JsonNode report = JSON.readTree(pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getMessage());
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
    Map<String, String> evidenceData =
        cluster.controlPlane().admin().configMaps().inNamespace(NS).withName(evidence).get().getData();
    assertThat(JSON.readTree(evidenceData.get("report.json")).get("schemaVersionAfter").asText()).isEqualTo("2");
    assertThat(evidenceData.get("log-tail")).contains("applied 2 migrations");

    try (Connection db = cluster.postgres().connect(database); Statement sql = db.createStatement()) {
      ResultSet column = sql.executeQuery("select count(*) from information_schema.columns"
          + " where table_name = 'orders' and column_name = 'status'");
      column.next();
      assertThat(column.getInt(1)).isEqualTo(1);
      ResultSet history = sql.executeQuery("select count(*) from flyway_schema_history where success and version is not null");
      history.next();
      assertThat(history.getInt(1)).isEqualTo(2);
    }

    Kubectl.Result logs = requester.run("logs", "job/" + jobName, "-n", NS);
    assertThat(logs.ok()).as(logs.toString()).isTrue();
    assertThat(logs.out()).contains("MIGRATION-GATE-REPORT");
    Kubectl.Result tail = requester.run("logs", "job/" + jobName, "-n", NS, "--tail=1");
    assertThat(tail.out().lines().count()).as(tail.toString()).isEqualTo(1);
  }

  @Test
  void aRequestInAProductionNamespaceIsRefusedAtCreation() throws Exception {
    String url = cluster.postgres().createDatabase("orders_prod");
    Kubectl.Result refused = requester.runWithInput(
        Yaml.request(PROD, "orders-add-status", Yaml.spec(url, "orders-add-status-scripts", "orders-add-status-db")),
        "apply", "-f", "-");
    assertThat(refused.ok()).as("created in a production namespace: " + refused).isFalse();
    assertThat(refused.err()).contains("namespace " + PROD + " matches the blocked selector");
    assertThat(admin.run("get", "mr", "-n", PROD, "-o", "name").out()).isEmpty();
  }

  @Test
  void approvedRequestInANamespaceRelabelledProductionIsBlockedAndNeverRuns() throws Exception {
    submit(RELABELLED, "orders-add-status", "orders_relabelled", ordersScripts(""));
    awaitPhase(RELABELLED, "orders-add-status", "AwaitingApproval");
    // the admission policy checks at creation only: the operator is the guard for requests already there
    Kubectl.Result relabelled = admin.run("label", "--overwrite", "namespace", RELABELLED, "environment=production");
    assertThat(relabelled.ok()).as(relabelled.toString()).isTrue();
    awaitPhase(RELABELLED, "orders-add-status", "Blocked");
    approve(RELABELLED, "orders-add-status");

    JsonNode blocked = request(RELABELLED, "orders-add-status").at("/status/conditions");
    assertThat(blocked.findValuesAsText("reason")).contains("ProductionNamespace");
    // past the operator's recheck interval (5 s here): still blocked, still no run Job, no runner pod ever
    await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(12)).pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> {
          assertThat(runJobs(RELABELLED)).isEmpty();
          assertThat(phase(RELABELLED, "orders-add-status")).isEqualTo("Blocked");
        });
    assertThat(runPods(RELABELLED)).isEmpty();
    try (Connection db = cluster.postgres().connect("orders_relabelled"); Statement sql = db.createStatement()) {
      ResultSet tables = sql.executeQuery("select count(*) from information_schema.tables where table_schema = 'public'");
      tables.next();
      assertThat(tables.getInt(1)).as("tables in the production database").isZero();
    }
  }

  @Test
  void operatorKilledAfterTheJobExistsDoesNotLaunchTwice() throws Exception {
    // a migration that takes a while, so that the operator dies while its Job runs
    submit(RESTART, "slow-orders", "orders_slow", ordersScripts("select pg_sleep(8);\n"));
    awaitPhase(RESTART, "slow-orders", "AwaitingApproval");
    approve(RESTART, "slow-orders");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> !runJobs(RESTART).isEmpty());
    Job first;
    try {
      guarded.killOperator();
      first = runJobs(RESTART).get(0);
      guarded.release.startOperator();
    } finally {
      guarded.ensureOperatorRunning();
    }
    Kubectl.Result ready = requester.run("wait", "--for=condition=Ready", "mr/slow-orders", "-n", RESTART,
        "--timeout=180s");
    assertThat(ready.ok()).as(ready + "\n" + admin.run("get", "mr,jobs,pods", "-n", RESTART, "-o", "yaml").out()).isTrue();

    assertThat(runJobs(RESTART)).singleElement()
        .satisfies(job -> assertThat(job.getMetadata().getUid()).isEqualTo(first.getMetadata().getUid()));
    assertThat(runPods(RESTART)).hasSize(1);
    JsonNode status = request(RESTART, "slow-orders").get("status");
    assertThat(status.at("/job/uid").asText()).isEqualTo(first.getMetadata().getUid());
    assertThat(status.at("/result/schemaVersionAfter").asText()).isEqualTo("2");
    try (Connection db = cluster.postgres().connect("orders_slow"); Statement sql = db.createStatement()) {
      ResultSet history = sql.executeQuery("select count(*) from flyway_schema_history where success and version is not null");
      history.next();
      assertThat(history.getInt(1)).as("each script applied once").isEqualTo(2);
    }
  }

  static String failedReason(String namespace, String name) {
    return admin.run("get", "mr", name, "-n", namespace, "-o",
        "jsonpath={.status.conditions[?(@.type==\"Failed\")].reason}").out();
  }

  static boolean historyTableExists(String database) throws Exception {
    try (Connection db = cluster.postgres().connect(database); Statement sql = db.createStatement()) {
      ResultSet tables = sql.executeQuery("select count(*) from information_schema.tables where table_name = 'flyway_schema_history'");
      tables.next();
      return tables.getInt(1) == 1;
    }
  }

  @Test
  void aCredentialsSecretAppliedAfterTheRequestIsWaitedForAndTheRunGoesOn() throws Exception {
    // GitOps tools apply in their own order: the Secret may come a minute after the request.
    String url = cluster.postgres().createDatabase("orders_latesecret");
    Kubectl.Result applied = requester.runWithInput(String.join("---\n",
        Yaml.scripts(FAILURES, "latesecret-scripts", ordersScripts("")),
        Yaml.request(FAILURES, "late-secret", Yaml.spec(url, "latesecret-scripts", "latesecret-db"))), "apply", "-f", "-");
    assertThat(applied.ok()).as(applied.toString()).isTrue();

    // the plan Job waits for it, with the kubelet's own words and what to create
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(readyMessage(FAILURES, "late-secret"))
            .contains("secret \"latesecret-db\" not found", "username and password keys"));
    assertThat(phase(FAILURES, "late-secret")).isEqualTo("Pending");
    Kubectl.Result secret = requester.runWithInput(
        Yaml.secret(FAILURES, "latesecret-db", LocalPostgres.MIGRATOR, cluster.postgres().password()), "apply", "-f", "-");
    assertThat(secret.ok()).as(secret.toString()).isTrue();
    awaitPhase(FAILURES, "late-secret", "AwaitingApproval");

    // the run's Job waits the same way when the Secret is gone by then (replaced by a secrets operator, say)
    Kubectl.Result removed = admin.run("delete", "secret", "latesecret-db", "-n", FAILURES);
    assertThat(removed.ok()).as(removed.toString()).isTrue();
    approve(FAILURES, "late-secret");
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(readyReason(FAILURES, "late-secret")).isEqualTo("CredentialsSecretNotFound"));
    assertThat(phase(FAILURES, "late-secret")).isEqualTo("Running");
    assertThat(readyMessage(FAILURES, "late-secret")).contains("secret \"latesecret-db\" not found");
    assertThat(historyTableExists("orders_latesecret")).isFalse();

    secret = requester.runWithInput(
        Yaml.secret(FAILURES, "latesecret-db", LocalPostgres.MIGRATOR, cluster.postgres().password()), "apply", "-f", "-");
    assertThat(secret.ok()).as(secret.toString()).isTrue();
    awaitPhase(FAILURES, "late-secret", "Succeeded");
    assertThat(historyTableExists("orders_latesecret")).isTrue();
  }

  static String readyMessage(String namespace, String name) {
    return admin.run("get", "mr", name, "-n", namespace, "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].message}").out();
  }

  static String readyReason(String namespace, String name) {
    return admin.run("get", "mr", name, "-n", namespace, "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].reason}").out();
  }

  @Test
  void failingScriptEndsFailedWithTheRunnersReasonAndKeepsWhatWasApplied() throws Exception {
    Map<String, String> scripts = new LinkedHashMap<>(ordersScripts(""));
    scripts.put("V2__add_status.sql", "alter table no_such_table add column status text;\n");
    submit(FAILURES, "broken-script", "orders_broken", scripts);
    awaitPhase(FAILURES, "broken-script", "AwaitingApproval");
    approve(FAILURES, "broken-script");

    awaitPhase(FAILURES, "broken-script", "Failed");
    assertThat(failedReason(FAILURES, "broken-script")).isEqualTo("MigrationFailed");
    assertThat(phase(FAILURES, "broken-script")).isEqualTo("Failed");
    JsonNode result = request(FAILURES, "broken-script").at("/status/result");
    assertThat(result.get("exitCode").asInt()).isNotZero();
    assertThat(result.get("message").asText()).contains("V2");
    Kubectl.Result notReady = requester.run("get", "mr", "broken-script", "-n", FAILURES, "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
    assertThat(notReady.out()).isEqualTo("False");
    try (Connection db = cluster.postgres().connect("orders_broken"); Statement sql = db.createStatement()) {
      ResultSet history = sql.executeQuery("select string_agg(version || ':' || success, ',' order by installed_rank)"
          + " from flyway_schema_history where version is not null");
      history.next();
      assertThat(history.getString(1)).as("V1 applied, V2 not").isEqualTo("1:true");
    }
  }
}
