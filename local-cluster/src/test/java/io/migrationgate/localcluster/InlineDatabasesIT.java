package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart installed with {@code inlineDatabases.enabled=true}, the one setting this class needs
 * (the shared cluster runs the default, inline databases off), the operator as its ServiceAccount:
 * an inline database still plans and runs beside its request, and an inline URL naming the database
 * of a production MigrationTarget, in another spelling, from a namespace nobody labelled production,
 * is blocked before anything reads it.
 */
class InlineDatabasesIT {

  private static final String NS = "inline-team";

  private static Path workDir;
  private static LocalCluster cluster;
  private static GuardedCluster g;

  @BeforeAll
  static void installWithInlineDatabases() throws Exception {
    workDir = Files.createTempDirectory("mg-inline-");
    cluster = LocalCluster.start(workDir, ChartRelease.jar(), ChartRelease.HARDENED_API_SERVER);
    ChartRelease release = ChartRelease.install(cluster, workDir, ChartRelease.chart(), ChartRelease.jar(),
        "inlineDatabases.enabled=true");
    g = new GuardedCluster(cluster, release);
    g.createNamespace(NS);
    release.startOperator();
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (g != null) {
        g.close();
      }
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      E2eLogs.keep(workDir, "inline-databases");
      Processes.deleteTree(workDir);
    }
  }

  private static String inlineSpec(String name, String url) {
    return """
        workOrder: WO-77
        database: {url: "%s", credentialsSecret: %s-migrator}
        migrations:
          configMap: {name: %s-scripts}
        """.formatted(url, name, name);
  }

  /** The migrator's Secret beside the request, as the team's admin puts it there (requesters read no Secrets). */
  private static void secret(String name) {
    GuardedCluster.require(g.admin.runWithInput(Yaml.secret(NS, name + "-migrator", LocalPostgres.MIGRATOR,
        cluster.postgres().password()), "apply", "-f", "-"));
  }

  @Test
  void anInlineDatabasePlansAndRunsBesideItsRequest() throws Exception {
    String url = cluster.postgres().createDatabase("inline_plain");
    secret("plain");
    g.submit(NS, "plain", Fixtures.orders(), inlineSpec("plain", url));
    g.awaitPhase(NS, "plain", "AwaitingApproval", GuardedCluster.PLANNED);
    g.approve(NS, "plain");
    JsonNode done = g.awaitPhase(NS, "plain", "Succeeded", GuardedCluster.FINISHED);
    assertThat(g.client.batch().v1().jobs().inNamespace(NS).withName(done.at("/status/job/name").asText()).get())
        .as("an inline database's Job runs beside its request").isNotNull();
  }

  @Test
  void anInlineUrlNamingAProductionTargetsDatabaseIsBlocked() throws Exception {
    String url = cluster.postgres().createDatabase("inline_prod");
    // the platform registered that database as production
    GuardedCluster.require(g.admin.runWithInput(Yaml.target("orders-production", url, "orders-production-migrator",
        true), "apply", "-f", "-"));
    secret("prod");
    g.submit(NS, "prod", Fixtures.orders(), inlineSpec("prod", url + "?sslmode=disable"));

    JsonNode blocked = g.awaitPhase(NS, "prod", "Blocked", GuardedCluster.PLANNED);
    JsonNode condition = GuardedCluster.condition(blocked, "Blocked");
    assertThat(condition.path("reason").asText()).isEqualTo("ProductionTarget");
    assertThat(condition.path("message").asText()).contains("MigrationTarget orders-production");
    assertThat(blocked.at("/status/plan").isMissingNode()).as("nothing planned").isTrue();
    assertThat(g.client.batch().v1().jobs().inNamespace(NS).list().getItems())
        .as("no plan Job read the production database")
        .noneMatch(job -> job.getMetadata().getName().startsWith("prod-"));
  }
}
