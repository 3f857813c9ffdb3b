package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A MigrationTarget's status on the real API server with the chart installed: the operator's check
 * Job (the runner's check program, in the release namespace, with the target's Secret) says whether
 * the database is reachable, in words that never carry a credential; two targets of one database
 * warn of each other; and nobody but the operator writes that status.
 */
@ExtendWith(SharedClusters.class)
class TargetStatusIT {

  /** A check is a pod start and a connection: seconds, behind at most one other check. */
  private static final Duration CHECKED = Duration.ofSeconds(90);

  private final GuardedCluster g;

  TargetStatusIT(GuardedCluster guarded) {
    this.g = guarded;
  }

  @Test
  void aTargetTheOperatorReachesIsReachableAndItsCheckJobIsGone() throws Exception {
    String url = g.database("target_status_ok");
    String target = Targets.nameOf(url);

    JsonNode checked = awaitReachable(target, "True");
    JsonNode reachable = GuardedCluster.condition(checked, "Reachable");
    assertThat(reachable.path("reason").asText()).isEqualTo("Connected");
    assertThat(reachable.path("message").asText()).contains("PostgreSQL");
    assertThat(checked.at("/status/observedGeneration").asLong()).isEqualTo(checked.at("/metadata/generation").asLong());
    assertThat(checked.at("/status/lastCheckedAt").asText()).isNotEmpty();
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> g.client.batch().v1().jobs()
        .inNamespace(ChartRelease.NAMESPACE).withLabel("migrationgate.io/target-uid",
            checked.at("/metadata/uid").asText()).list().getItems().isEmpty());
    assertThat(g.admin.run("get", "migrationtarget", target).out()).as("the Reachable printer column")
        .contains("REACHABLE").contains("True");
  }

  @Test
  void aPasswordUsedAsTheUserNameIsRefusedAndAppearsNowhereInTheTargetsStatus() throws Exception {
    String url = g.cluster.postgres().createDatabase("target_status_leak");
    String target = "target-status-leak";
    String password = "Leak-" + Long.toHexString(System.nanoTime()) + "-pw";
    GuardedCluster.require(g.admin.runWithInput(Yaml.secret(ChartRelease.NAMESPACE, target + "-migrator",
        LocalPostgres.MIGRATOR, password) + "---\n" + """
        apiVersion: migrationgate.io/v1alpha1
        kind: MigrationTarget
        metadata: {name: %s}
        spec:
          database: {url: "%s", credentialsSecret: %s-migrator, usernameKey: password}
          production: false
          namespaceSelector: {}
        """.formatted(target, url, target), "apply", "-f", "-"));

    JsonNode refused = awaitReachable(target, "False");
    JsonNode reachable = GuardedCluster.condition(refused, "Reachable");
    assertThat(reachable.path("reason").asText()).isEqualTo("DatabaseCredentialsRefused");
    assertThat(reachable.path("message").asText()).contains(target + "-migrator");
    assertThat(refused.toString()).as("the target as anyone who reads it sees it").doesNotContain(password);
    assertThat(g.admin.run("get", "events", "-A", "-o", "json").out()).doesNotContain(password);
  }

  @Test
  void twoSpellingsOfOneDatabaseWarnInBothTargets() throws Exception {
    String url = g.database("target_status_twice");
    String first = Targets.nameOf(url);
    String second = "target-status-twice-again";
    // the same database, spelled with a parameter the driver does not read as the address
    String respelled = url + "?ApplicationName=again";
    GuardedCluster.require(g.admin.runWithInput(Yaml.target(second, respelled, Targets.secretOf(url), false),
        "apply", "-f", "-"));

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
        GuardedCluster.condition(target(first), "DuplicateAddress").path("message").asText().contains(second));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
        GuardedCluster.condition(target(second), "DuplicateAddress").path("message").asText().contains(first));
    assertThat(GuardedCluster.condition(target(first), "DuplicateAddress").path("status").asText()).isEqualTo("True");
  }

  @Test
  void nobodyButTheOperatorWritesATargetsStatus() throws Exception {
    String url = g.database("target_status_forged");
    String target = Targets.nameOf(url);
    awaitReachable(target, "True");

    Kubectl.Result forged = g.admin.run("patch", "migrationtarget", target, "--subresource=status", "--type=merge",
        "-p", "{\"status\":{\"conditions\":[{\"type\":\"Reachable\",\"status\":\"True\",\"reason\":\"Connected\","
            + "\"message\":\"forged\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}]}}");
    assertThat(forged.ok()).as(forged.toString()).isFalse();
    assertThat(forged.err()).contains("written only by the Migration Gate operator");
  }

  private JsonNode awaitReachable(String target, String status) throws Exception {
    Awaitility.await().atMost(CHECKED).pollInterval(Duration.ofSeconds(1)).until(() ->
        status.equals(GuardedCluster.condition(target(target), "Reachable").path("status").asText()));
    return target(target);
  }

  private JsonNode target(String name) {
    Kubectl.Result got = GuardedCluster.require(g.admin.run("get", "migrationtarget", name, "-o", "json"));
    try {
      return GuardedCluster.JSON.readTree(got.out());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("not JSON: " + got, e);
    }
  }
}
