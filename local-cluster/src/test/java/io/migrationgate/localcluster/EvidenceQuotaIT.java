package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A migration that ran must reach its final phase even when its evidence ConfigMap cannot be
 * written (here a full ConfigMap quota in the operator's namespace, where a target's evidence goes:
 * the platform's quota, which enough requests' runs fill). The request says where the evidence went
 * missing and why, gives up its database, and can be deleted.
 */
@ExtendWith(SharedClusters.class)
class EvidenceQuotaIT {

  private final GuardedCluster g;

  EvidenceQuotaIT(GuardedCluster guarded) {
    this.g = guarded;
  }

  @Test
  void migrationWhoseEvidenceTheQuotaRefusesStillSucceedsSaysWhyAndCanBeDeleted() throws Exception {
    String ns = "evidence-quota";
    g.awaitingApproval(ns, "orders", Fixtures.orders());
    String runs = ChartRelease.NAMESPACE;
    int configMaps = g.client.configMaps().inNamespace(runs).list().getItems().size();
    g.quota(runs, "configmaps-full", "count/configmaps", configMaps, configMaps);
    try {
      try (JobWatch jobs = g.watchJobs(ns)) {
        g.approve(ns, "orders");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
            jobs.seen().values().stream().anyMatch(j -> j.getStatus() != null && j.getStatus().getConditions() != null
                && j.getStatus().getConditions().stream()
                    .anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus()))));
      }
      // the Job is over: what is left is the operator's part, which takes a reconcile or two
      g.awaitPhase(ns, "orders", "Succeeded", Duration.ofSeconds(20));
    } finally {
      g.client.resourceQuotas().inNamespace(runs).withName("configmaps-full").delete();
    }

    JsonNode status = g.request(ns, "orders").path("status");
    assertThat(status.at("/evidence/problem").asText()).as("status.evidence: %s", status.path("evidence"))
        .contains("exceeded quota");
    List<Event> events = g.client.v1().events().inNamespace(ns).withField("involvedObject.name", "orders").list()
        .getItems();
    assertThat(events).as("Events on the request")
        .anySatisfy(e -> assertThat(e.getType() + " " + e.getReason()).isEqualTo("Warning EvidenceNotRecorded"));

    Kubectl.Result deleted = g.admin.run("delete", "mr", "orders", "-n", ns, "--timeout=60s");
    assertThat(deleted.ok()).as(deleted + "\n" + g.describe(ns)).isTrue();
    assertThat(g.admin.run("get", "mr", "orders", "-n", ns).err()).contains("NotFound");
  }
}
