package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What Flux, {@code kubectl wait} and {@code kubectl get} make of real requests: every phase a run
 * goes through, read by the real kstatus library (local-cluster/kstatus-check) from
 * {@code kubectl get mr -o json}, and the printer columns as kubectl prints them.
 */
@ExtendWith(GuardedClusterExtension.class)
class KstatusIT {

  static final String NS = "gitops";
  static final String PROD = "gitops-prod";
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern HEADER = Pattern.compile("\\S+(?: \\S+)*");
  static final Path REPO = Path.of(System.getProperty("mg.repo", "..")).toAbsolutePath().normalize();

  static LocalCluster cluster;
  static Kubectl requester;
  static Kubectl approver;
  static Kubectl admin;
  static Kstatus kstatus;

  @BeforeAll
  static void setUp(LocalCluster localCluster) {
    kstatus = Kstatus.build(REPO);
    cluster = localCluster;
    cluster.createNamespace(NS, Map.of("environment", "dev"));
    // labelled production once its request awaits approval: the chart refuses creating one there
    cluster.createNamespace(PROD, Map.of("environment", "dev"));
    requester = cluster.kubectl(LocalUser.REQUESTER);
    approver = cluster.kubectl(LocalUser.APPROVER);
    admin = cluster.kubectl(LocalUser.ADMIN);
  }

  static void apply(String namespace, String name, String url, Map<String, String> scripts) throws Exception {
    apply(namespace, name, url, scripts, "");
  }

  /** The same, with {@code extraSpec} (YAML lines) added to the spec. */
  static void apply(String namespace, String name, String url, Map<String, String> scripts, String extraSpec) {
    String yaml = String.join("---\n",
        Yaml.secret(namespace, name + "-db", LocalPostgres.MIGRATOR, cluster.postgres().password()),
        Yaml.scripts(namespace, name + "-scripts", scripts),
        Yaml.request(namespace, name, Yaml.spec(url, name + "-scripts", name + "-db") + extraSpec));
    require(requester.runWithInput(yaml, "apply", "-f", "-"));
  }

  static Kubectl.Result require(Kubectl.Result result) {
    assertThat(result.ok()).as(result.toString()).isTrue();
    return result;
  }

  static JsonNode request(String namespace, String name) throws Exception {
    return JSON.readTree(require(admin.run("get", "mr", name, "-n", namespace, "-o", "json")).out());
  }

  static JsonNode awaitPhase(String namespace, String name, String phase) {
    return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300))
        .until(() -> request(namespace, name), r -> phase.equals(r.at("/status/phase").asText()));
  }

  /** kstatus's verdict on the request exactly as the API server returned it. */
  static Kstatus.Verdict kstatusOf(JsonNode request) {
    List<Kstatus.Verdict> verdicts = kstatus.of(request.toString());
    assertThat(verdicts).hasSize(1);
    return verdicts.get(0);
  }

  static JsonNode condition(JsonNode request, String type) {
    for (JsonNode c : request.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return null;
  }

  /** The request in a phase: kstatus's verdict, and the standard condition that gave it. */
  static void assertReads(JsonNode request, String kstatusStatus, String standardCondition) {
    String phase = request.at("/status/phase").asText();
    JsonNode ready = condition(request, "Ready");
    Kstatus.Verdict verdict = kstatusOf(request);
    assertThat(verdict.status()).as("kstatus on a %s request: %s", phase, request.at("/status")).isEqualTo(kstatusStatus);
    assertThat(request.at("/status/observedGeneration").asLong()).isEqualTo(request.at("/metadata/generation").asLong());
    if (standardCondition == null) {
      assertThat(condition(request, "Reconciling")).as("Reconciling on " + phase).isNull();
      assertThat(condition(request, "Stalled")).as("Stalled on " + phase).isNull();
      return;
    }
    JsonNode standard = condition(request, standardCondition);
    assertThat(standard).as(standardCondition + " on " + phase).isNotNull();
    assertThat(standard.path("status").asText()).isEqualTo("True");
    assertThat(standard.path("reason").asText()).isEqualTo(ready.path("reason").asText());
    assertThat(standard.path("observedGeneration").asLong()).isEqualTo(request.at("/metadata/generation").asLong());
    assertThat(verdict.message()).isEqualTo(standard.path("message").asText());
    assertThat(condition(request, standardCondition.equals("Stalled") ? "Reconciling" : "Stalled"))
        .as("Reconciling and Stalled together on " + phase).isNull();
  }

  @Test
  void everyPhaseReadsToKstatusAsFluxExpectsAndKubectlWaitEndsEitherWay() throws Exception {
    String shared = cluster.postgres().createDatabase("gitops_shared");
    // holds the database long enough to see it Running and a second request Queued behind it
    Map<String, String> slow = MigrationFlowIT.ordersScripts("select pg_sleep(15);\n");
    apply(NS, "slow", shared, slow);
    // a V2 that fails, on slow's database (so queued behind it) but in a schema of its own, so that
    // slow's run does not move the history broken's plan read
    Map<String, String> broken = MigrationFlowIT.ordersScripts("");
    broken.put("V2__add_status.sql", "alter table no_such_table add column status text;\n");
    apply(NS, "broken", shared, broken, "flyway: {schemas: [broken]}\n");
    apply(NS, "unwanted", cluster.postgres().createDatabase("gitops_unwanted"), MigrationFlowIT.ordersScripts(""));
    String production = cluster.postgres().createDatabase("gitops_prod");
    apply(PROD, "blocked", production, MigrationFlowIT.ordersScripts(""));
    require(requester.runWithInput(Yaml.request(NS, "early", Yaml.spec(shared, "early-scripts", "early-db")),
        "apply", "-f", "-"));

    assertReads(awaitPhase(NS, "early", "Pending"), "InProgress", "Reconciling");
    assertReads(awaitPhase(NS, "unwanted", "AwaitingApproval"), "InProgress", "Reconciling");
    awaitPhase(PROD, "blocked", "AwaitingApproval");
    require(admin.run("label", "--overwrite", "namespace", PROD, "environment=production"));
    assertReads(awaitPhase(PROD, "blocked", "Blocked"), "Failed", "Stalled");
    require(approver.run("wait", "--for=condition=Stalled", "mr/blocked", "-n", PROD, "--timeout=10s"));

    require(approver.run("annotate", "mr", "unwanted", "-n", NS,
        "migrationgate.io/rejected-by=" + LocalUser.APPROVER.userName()));
    assertReads(awaitPhase(NS, "unwanted", "Rejected"), "Failed", "Stalled");

    awaitPhase(NS, "broken", "AwaitingApproval");
    require(approver.run("annotate", "mr", "slow", "-n", NS, "migrationgate.io/approved-by=" + LocalUser.APPROVER.userName()));
    assertReads(awaitPhase(NS, "slow", "Running"), "InProgress", "Reconciling");
    require(approver.run("annotate", "mr", "broken", "-n", NS, "migrationgate.io/approved-by=" + LocalUser.APPROVER.userName()));
    assertReads(awaitPhase(NS, "broken", "Queued"), "InProgress", "Reconciling");

    // the docs' "finished either way" function, run as written, on the request that will fail
    Process finished = waitFinished("broken", NS, "150s");
    require(requester.run("wait", "--for=condition=Ready", "mr/slow", "-n", NS, "--timeout=120s"));
    assertReads(request(NS, "slow"), "Current", null);

    assertThat(finished.waitFor(150, TimeUnit.SECONDS)).as("wait_finished returned").isTrue();
    String said = new String(finished.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(finished.exitValue()).as("wait_finished on a failed request: " + said).isEqualTo(1);
    assertThat(said).startsWith("Failed MigrationFailed: ");
    require(requester.run("wait", "--for=condition=Stalled", "mr/broken", "-n", NS, "--timeout=5s"));
    assertReads(request(NS, "broken"), "Failed", "Stalled");

    Kubectl.Result all = require(admin.run("get", "mr", "-A", "-o", "json"));
    assertThat(kstatus.of(all.out())).extracting(v -> v.name() + "=" + v.status()).contains(
        "early=InProgress", "slow=Current", "broken=Failed", "unwanted=Failed", "blocked=Failed");

    printerColumns(shared, production);
  }

  /** What a person sees: the default columns, then {@code -o wide}, with the succeeded request's values. */
  static void printerColumns(String sharedUrl, String productionUrl) {
    Map<String, String> row = row(require(requester.run("get", "mr", "slow", "-n", NS)).out());
    assertThat(row.keySet()).containsExactly("NAME", "PHASE", "READY", "REASON", "APPROVER", "AGE");
    assertThat(row).containsEntry("PHASE", "Succeeded").containsEntry("READY", "True")
        .containsEntry("REASON", "MigrationSucceeded").containsEntry("APPROVER", LocalUser.APPROVER.userName());

    Map<String, String> wide = row(require(requester.run("get", "mr", "slow", "-n", NS, "-o", "wide")).out());
    assertThat(wide.keySet()).containsExactly(
        "NAME", "PHASE", "READY", "REASON", "APPROVER", "AGE", "DATABASE", "NOW AT", "PENDING", "TARGET",
        "SCHEMA AFTER", "JOB");
    assertThat(wide.get("DATABASE")).as("host:port/database, nothing else")
        .isEqualTo(sharedUrl.substring("jdbc:postgresql://".length()));
    assertThat(wide).containsEntry("TARGET", "latest").containsEntry("SCHEMA AFTER", "2");
    assertThat(wide.get("JOB")).startsWith("slow-").endsWith("-run");

    Map<String, String> failed = row(require(requester.run("get", "mr", "broken", "-n", NS, "-o", "wide")).out());
    assertThat(failed).containsEntry("PHASE", "Failed").containsEntry("READY", "False")
        .containsEntry("REASON", "MigrationFailed");
    Map<String, String> blocked = row(require(requester.run("get", "mr", "blocked", "-n", PROD, "-o", "wide")).out());
    // planned before its namespace became production: the plan shows where it would have run
    assertThat(blocked).containsEntry("REASON", "ProductionNamespace").containsEntry("APPROVER", "")
        .containsEntry("DATABASE", productionUrl.substring("jdbc:postgresql://".length())).containsEntry("JOB", "");
    // for the test log: what a person sees after this run
    System.out.println(require(requester.run("get", "mr", "-n", NS, "-o", "wide")).out());
  }

  /**
   * kubectl's table of one object as header -> value, cut at the headers' offsets: an empty cell
   * is blank, and a header may hold one space (SCHEMA AFTER).
   */
  static Map<String, String> row(String table) {
    List<String> lines = table.lines().toList();
    assertThat(lines).as(table).hasSize(2);
    String header = lines.get(0);
    String values = lines.get(1);
    List<MatchResult> headers = HEADER.matcher(header).results().toList();
    Map<String, String> row = new LinkedHashMap<>();
    for (int i = 0; i < headers.size(); i++) {
      int from = Math.min(headers.get(i).start(), values.length());
      int to = i + 1 < headers.size() ? Math.min(headers.get(i + 1).start(), values.length()) : values.length();
      row.put(headers.get(i).group(), values.substring(from, to).trim());
    }
    return row;
  }

  /** Starts docs/gitops.md's wait_finished function, copied from the page, as the requester. */
  static Process waitFinished(String name, String namespace, String timeout) throws Exception {
    String page = Files.readString(REPO.resolve("docs/gitops.md"));
    String block = page.substring(page.indexOf("<!-- wait-finished:start -->"), page.indexOf("<!-- wait-finished:end -->"));
    String function = block.substring(block.indexOf("wait_finished() {"), block.indexOf("\n}\n") + 3);
    ProcessBuilder bash = new ProcessBuilder("bash", "-c", function + "wait_finished \"$@\"", "wait_finished",
        name, namespace, timeout).redirectError(ProcessBuilder.Redirect.INHERIT);
    bash.environment().put("KUBECONFIG", cluster.controlPlane().kubeconfig(LocalUser.REQUESTER).toString());
    bash.environment().put("PATH",
        cluster.controlPlane().binaries().kubectl().getParent() + ":" + System.getenv("PATH"));
    Process process = bash.start();
    process.getOutputStream().close();
    return process;
  }
}
