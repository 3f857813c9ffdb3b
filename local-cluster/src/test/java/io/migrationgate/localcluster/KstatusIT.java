package io.migrationgate.localcluster;

import static io.migrationgate.localcluster.GuardedCluster.require;
import static io.migrationgate.localcluster.GuardedCluster.tableRow;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What Flux, {@code kubectl wait} and {@code kubectl get} make of real requests: every phase a run
 * goes through, read by the real kstatus library (local-cluster/kstatus-check) from
 * {@code kubectl get mr -o json}, and the printer columns as kubectl prints them.
 */
@ExtendWith(SharedClusters.class)
class KstatusIT {

  static final String NS = "gitops";
  static final String PROD = "gitops-prod";
  static final Path REPO = ChartRelease.repo();

  static GuardedCluster g;
  static Kstatus kstatus;

  @BeforeAll
  static void setUp(GuardedCluster shared) {
    kstatus = Kstatus.build(REPO);
    g = shared;
    g.createNamespace(NS);
    // labelled production once its request awaits approval: the chart refuses creating one there
    g.createNamespace(PROD);
  }

  static JsonNode awaitPhase(String namespace, String name, String phase) {
    return g.awaitPhase(namespace, name, phase, GuardedCluster.FINISHED);
  }

  /** kstatus's verdict on the request exactly as the API server returned it. */
  static Kstatus.Verdict kstatusOf(JsonNode request) {
    List<Kstatus.Verdict> verdicts = kstatus.of(request.toString());
    assertThat(verdicts).hasSize(1);
    return verdicts.get(0);
  }

  /** The request in a phase: kstatus's verdict, and the standard condition that gave it. */
  static void assertReads(JsonNode request, String kstatusStatus, String standardCondition) {
    String phase = request.at("/status/phase").asText();
    JsonNode ready = GuardedCluster.condition(request, "Ready");
    Kstatus.Verdict verdict = kstatusOf(request);
    assertThat(verdict.status()).as("kstatus on a %s request: %s", phase, request.at("/status")).isEqualTo(kstatusStatus);
    assertThat(request.at("/status/observedGeneration").asLong()).isEqualTo(request.at("/metadata/generation").asLong());
    if (standardCondition == null) {
      assertThat(GuardedCluster.condition(request, "Reconciling").isMissingNode()).as("no Reconciling on " + phase).isTrue();
      assertThat(GuardedCluster.condition(request, "Stalled").isMissingNode()).as("no Stalled on " + phase).isTrue();
      return;
    }
    JsonNode standard = GuardedCluster.condition(request, standardCondition);
    assertThat(standard.isMissingNode()).as(standardCondition + " on " + phase).isFalse();
    assertThat(standard.path("status").asText()).isEqualTo("True");
    assertThat(standard.path("reason").asText()).isEqualTo(ready.path("reason").asText());
    assertThat(standard.path("observedGeneration").asLong()).isEqualTo(request.at("/metadata/generation").asLong());
    assertThat(verdict.message()).isEqualTo(standard.path("message").asText());
    assertThat(GuardedCluster.condition(request, standardCondition.equals("Stalled") ? "Reconciling" : "Stalled")
        .isMissingNode()).as("not Reconciling and Stalled together on " + phase).isTrue();
  }

  @Test
  void everyPhaseReadsToKstatusAsFluxExpectsAndKubectlWaitEndsEitherWay() throws Exception {
    String shared = g.database("gitops_shared");
    // holds the database long enough to see it Running and a second request Queued behind it
    g.submit(NS, "slow", shared, Fixtures.slowOrders(15));
    // a V2 that fails, on slow's database (so queued behind it) but in a schema of its own, so that
    // slow's run does not move the history broken's plan read
    g.submit(NS, "broken", Fixtures.ordersFailingAtV2(), Fixtures.spec("broken", shared) + "flyway: {schemas: [broken]}\n");
    g.submit(NS, "unwanted", g.database("gitops_unwanted"), Fixtures.orders());
    String production = g.database("gitops_prod");
    g.submit(PROD, "blocked", production, Fixtures.orders());
    g.createRequest(NS, "early", Fixtures.spec("early", shared));

    assertReads(awaitPhase(NS, "early", "Pending"), "InProgress", "Reconciling");
    assertReads(awaitPhase(NS, "unwanted", "AwaitingApproval"), "InProgress", "Reconciling");
    awaitPhase(PROD, "blocked", "AwaitingApproval");
    require(g.admin.run("label", "--overwrite", "namespace", PROD, "environment=production"));
    assertReads(awaitPhase(PROD, "blocked", "Blocked"), "Failed", "Stalled");
    require(g.approver.run("wait", "--for=condition=Stalled", "mr/blocked", "-n", PROD, "--timeout=10s"));

    g.reject(NS, "unwanted");
    assertReads(awaitPhase(NS, "unwanted", "Rejected"), "Failed", "Stalled");

    awaitPhase(NS, "broken", "AwaitingApproval");
    g.approve(NS, "slow");
    assertReads(awaitPhase(NS, "slow", "Running"), "InProgress", "Reconciling");
    g.approve(NS, "broken");
    assertReads(awaitPhase(NS, "broken", "Queued"), "InProgress", "Reconciling");

    // the docs' "finished either way" function, run as written, on the request that will fail
    Process finished = waitFinished("broken", NS, "150s");
    require(g.requester.run("wait", "--for=condition=Ready", "mr/slow", "-n", NS, "--timeout=120s"));
    assertReads(g.request(NS, "slow"), "Current", null);

    assertThat(finished.waitFor(150, TimeUnit.SECONDS)).as("wait_finished returned").isTrue();
    String said = new String(finished.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(finished.exitValue()).as("wait_finished on a failed request: " + said).isEqualTo(1);
    assertThat(said).startsWith("Failed MigrationFailed: ");
    require(g.requester.run("wait", "--for=condition=Stalled", "mr/broken", "-n", NS, "--timeout=5s"));
    assertReads(g.request(NS, "broken"), "Failed", "Stalled");

    Kubectl.Result all = require(g.admin.run("get", "mr", "-A", "-o", "json"));
    assertThat(kstatus.of(all.out())).extracting(v -> v.name() + "=" + v.status()).contains(
        "early=InProgress", "slow=Current", "broken=Failed", "unwanted=Failed", "blocked=Failed");

    printerColumns(shared, production);
  }

  /** What a person sees: the default columns, then {@code -o wide}, with the succeeded request's values. */
  static void printerColumns(String sharedUrl, String productionUrl) {
    Map<String, String> row = tableRow(require(g.requester.run("get", "mr", "slow", "-n", NS)).out());
    assertThat(row.keySet()).containsExactly("NAME", "PHASE", "READY", "REASON", "APPROVER", "AGE");
    assertThat(row).containsEntry("PHASE", "Succeeded").containsEntry("READY", "True")
        .containsEntry("REASON", "MigrationSucceeded").containsEntry("APPROVER", LocalUser.APPROVER.userName());

    Map<String, String> wide = tableRow(require(g.requester.run("get", "mr", "slow", "-n", NS, "-o", "wide")).out());
    assertThat(wide.keySet()).containsExactly(
        "NAME", "PHASE", "READY", "REASON", "APPROVER", "AGE", "DATABASE", "NOW AT", "PENDING", "RISK",
        "TARGET", "SCHEMA AFTER", "JOB");
    assertThat(wide.get("RISK")).as("the script review's level").isIn("none", "low", "high", "destructive");
    assertThat(wide.get("DATABASE")).as("host:port/database, nothing else")
        .isEqualTo(sharedUrl.substring("jdbc:postgresql://".length()));
    assertThat(wide).containsEntry("TARGET", "latest").containsEntry("SCHEMA AFTER", "2");
    assertThat(wide.get("JOB")).startsWith("slow-").endsWith("-run");

    Map<String, String> failed = tableRow(require(g.requester.run("get", "mr", "broken", "-n", NS, "-o", "wide")).out());
    assertThat(failed).containsEntry("PHASE", "Failed").containsEntry("READY", "False")
        .containsEntry("REASON", "MigrationFailed");
    Map<String, String> blocked = tableRow(require(g.requester.run("get", "mr", "blocked", "-n", PROD, "-o", "wide")).out());
    // planned before its namespace became production: the plan shows where it would have run
    assertThat(blocked).containsEntry("REASON", "ProductionNamespace").containsEntry("APPROVER", "")
        .containsEntry("DATABASE", productionUrl.substring("jdbc:postgresql://".length())).containsEntry("JOB", "");
    // for the test log: what a person sees after this run
    System.out.println(require(g.requester.run("get", "mr", "-n", NS, "-o", "wide")).out());
  }

  /** Starts docs/gitops.md's wait_finished function, copied from the page, as the requester. */
  static Process waitFinished(String name, String namespace, String timeout) throws Exception {
    String page = Files.readString(REPO.resolve("docs/gitops.md"));
    String block = page.substring(page.indexOf("<!-- wait-finished:start -->"), page.indexOf("<!-- wait-finished:end -->"));
    String function = block.substring(block.indexOf("wait_finished() {"), block.indexOf("\n}\n") + 3);
    ProcessBuilder bash = new ProcessBuilder("bash", "-c", function + "wait_finished \"$@\"", "wait_finished",
        name, namespace, timeout).redirectError(ProcessBuilder.Redirect.INHERIT);
    bash.environment().put("KUBECONFIG", g.cluster.controlPlane().kubeconfig(LocalUser.REQUESTER).toString());
    bash.environment().put("PATH",
        g.cluster.controlPlane().binaries().kubectl().getParent() + ":" + System.getenv("PATH"));
    Process process = bash.start();
    process.getOutputStream().close();
    return process;
  }
}
