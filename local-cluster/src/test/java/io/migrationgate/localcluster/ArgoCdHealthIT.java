package io.migrationgate.localcluster;

import static io.migrationgate.localcluster.GuardedCluster.PLANNED;
import static io.migrationgate.localcluster.GuardedCluster.VERDICT;
import static io.migrationgate.localcluster.GuardedCluster.require;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Argo CD health check, installed into an {@code argocd-cm} ConfigMap with
 * the documented command and read back from it, judges real requests in every phase on the chart's
 * cluster. Argo CD itself is not available here; the Lua engine runs the check as Argo CD does.
 *
 * <p>{@code -Dmg.argocd.capture=true} also writes each request, trimmed, into the check's
 * {@code testdata/}: that is how the committed testdata was made.
 */
@ExtendWith(SharedClusters.class)
class ArgoCdHealthIT {

  static final String NS = "argocd-health";
  static final String BLOCKED_NS = "argocd-health-relabelled";
  /** Long enough to see the request Running and a second one Queued behind it on its database. */
  static final int SLOW_SECONDS = 25;
  static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
  static final YAMLMapper YAML = YAMLMapper.builder(new YAMLFactory()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          // "1" stays a string, as the API server returned it
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
      .build();

  private final GuardedCluster g;

  ArgoCdHealthIT(GuardedCluster guarded) {
    this.g = guarded;
  }

  @Test
  void everyPhaseOfARealRequestReadsInArgoCdAsTheMappingSays() throws Exception {
    ArgoCdHealth check = installedInArgocdCm();
    g.createNamespace(NS);
    g.createNamespace(BLOCKED_NS);

    // the object Argo CD sees between its sync and the operator's first look
    g.killOperator();
    try {
      g.submit(NS, "orders", g.database("argocd_health_orders"), Fixtures.orders());
      judge(check, NS, "orders", "progressing_no_status.yaml");
    } finally {
      g.ensureOperatorRunning();
    }

    String shared = g.database("argocd_health_shared");
    g.submit(NS, "no-source", g.database("argocd_health_no_source"), null);
    g.submit(NS, "slow", shared, Fixtures.slowOrders(SLOW_SECONDS));
    g.submit(NS, "behind-slow", shared, Fixtures.orders());
    g.submit(NS, "broken", g.database("argocd_health_broken"), Fixtures.ordersFailingAtV2());
    g.submit(NS, "unwanted", g.database("argocd_health_unwanted"), Fixtures.orders());
    g.submit(BLOCKED_NS, "orders", g.database("argocd_health_relabelled"), Fixtures.orders());
    for (String name : new String[] {"orders", "slow", "behind-slow", "broken", "unwanted"}) {
      g.awaitPhase(NS, name, "AwaitingApproval", PLANNED);
    }
    g.awaitPhase(BLOCKED_NS, "orders", "AwaitingApproval", PLANNED);

    judge(check, NS, "orders", "suspended_awaiting_approval.yaml");
    g.awaitVerdict(NS, "no-source", "Pending", "Ready", "SourceNotFound", VERDICT);
    judge(check, NS, "no-source", "progressing_pending.yaml");

    g.approve(NS, "slow");
    g.awaitPhase(NS, "slow", "Running", VERDICT);
    judge(check, NS, "slow", "progressing_running.yaml");
    g.approve(NS, "behind-slow");
    g.awaitVerdict(NS, "behind-slow", "Queued", "Ready", "WaitingForDatabase", VERDICT);
    judge(check, NS, "behind-slow", "progressing_queued.yaml");

    g.approve(NS, "broken");
    g.reject(NS, "unwanted");
    require(g.admin.run("label", "--overwrite", "namespace", BLOCKED_NS, "environment=production"));
    g.awaitVerdict(NS, "broken", "Failed", "Ready", "MigrationFailed", GuardedCluster.FINISHED);
    judge(check, NS, "broken", "degraded_failed.yaml");
    g.awaitPhase(NS, "unwanted", "Rejected", VERDICT);
    judge(check, NS, "unwanted", "degraded_rejected.yaml");
    g.awaitVerdict(BLOCKED_NS, "orders", "Blocked", "Ready", "ProductionNamespace", VERDICT);
    judge(check, BLOCKED_NS, "orders", "degraded_blocked.yaml");

    g.awaitPhase(NS, "slow", "Succeeded", GuardedCluster.FINISHED);
    judge(check, NS, "slow", "healthy_succeeded.yaml");
  }

  /**
   * The check as Argo CD would load it: an {@code argocd-cm} as Argo CD's installation creates it,
   * patched with the committed snippet by the command docs/gitops.md gives, then read back.
   */
  ArgoCdHealth installedInArgocdCm() {
    g.cluster.createNamespace("argocd", Map.of());
    require(g.admin.run("create", "configmap", "argocd-cm", "-n", "argocd"));
    require(g.admin.run("patch", "configmap", "argocd-cm", "-n", "argocd",
        "--patch-file", ChartRelease.repo().resolve("gitops/argocd/argocd-cm.yaml").toString()));
    String script = require(g.admin.run("get", "configmap", "argocd-cm", "-n", "argocd", "-o",
        "go-template={{index .data \"" + ArgoCdHealth.CM_KEY + "\"}}")).out();
    assertThat(script).as("the check in argocd-cm").contains("obj.status.phase");
    return new ArgoCdHealth(script, "argocd-cm " + ArgoCdHealth.CM_KEY);
  }

  /** Asserts what the check says of the live request; with capture on, keeps it as testdata. */
  void judge(ArgoCdHealth check, String namespace, String name, String testdata) throws IOException {
    JsonNode request = g.request(namespace, name);
    ArgoCdHealth.Health health = check.evaluate(request);
    assertThat(health).as("Argo CD health of %s/%s; status: %s", namespace, name, request.path("status"))
        .isEqualTo(ArgoCdHealth.expected(request));
    if (request.at("/status/phase").isTextual()) {
      assertThat(health.status()).as("the mapping of phase %s", request.at("/status/phase").asText())
          .isEqualTo(ArgoCdHealth.EXPECTED.get(request.at("/status/phase").asText()));
    }
    if (Boolean.getBoolean("mg.argocd.capture")) {
      Path file = ChartRelease.repo().resolve(ArgoCdHealth.CUSTOMIZATION).resolve("testdata").resolve(testdata);
      Files.writeString(file, YAML.writeValueAsString(trimmed(request.deepCopy())));
    }
  }

  /** As Argo CD's testdata: no managedFields, uids, resource versions, timestamps or apply records. */
  static JsonNode trimmed(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove("managedFields");
      object.remove("resourceVersion");
      object.remove("kubectl.kubernetes.io/last-applied-configuration");
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        boolean uid = field.getKey().equals("uid") || field.getKey().endsWith("Uid");
        boolean timestamp = field.getValue().isTextual() && TIMESTAMP.matcher(field.getValue().asText()).matches();
        if (uid || timestamp) {
          it.remove();
        }
      }
    }
    node.forEach(ArgoCdHealthIT::trimmed);
    return node;
  }
}
