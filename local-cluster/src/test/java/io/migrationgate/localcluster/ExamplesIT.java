package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * examples/ as the demo applies it (only the database host changes): the walkthrough in
 * examples/README.md holds on a real control plane with the chart installed, including the
 * scripts' digest it prints and the production request the chart's policy refuses.
 */
@ExtendWith(SharedClusters.class)
class ExamplesIT {

  static final String STAGING = "shop-staging";
  static final Path REPO = ChartRelease.repo();
  static GuardedCluster g;
  static Examples.Applied applied;

  @BeforeAll
  static void applyExamples(GuardedCluster shared) throws Exception {
    g = shared;
    applied = Examples.apply(g.cluster, REPO.resolve("examples"));
  }

  /** What the requester reads of the example's request. */
  static String get(String namespace, String jsonPath) {
    return g.requester.run("get", "mr", "orders-add-status", "-n", namespace, "-o", "jsonpath=" + jsonPath).out();
  }

  @Test
  void theWalkthroughOfExamplesReadmeHolds() throws Exception {
    assertThat(applied.refused()).as("what the API server refused").containsOnlyKeys(
        REPO.resolve("examples/request-production.yaml"), REPO.resolve("examples/request-staging-to-production.yaml"));
    // two policies refuse it (the namespace is production, and so is the target); the API server names one
    assertThat(applied.refused().get(REPO.resolve("examples/request-production.yaml")))
        .containsAnyOf("namespace shop-production matches the blocked selector",
            "MigrationTarget orders-production is a production database");
    assertThat(applied.refused().get(REPO.resolve("examples/request-staging-to-production.yaml")))
        .contains("MigrationTarget orders-production is a production database");
    assertThat(g.requester.run("get", "mr", "-n", "shop-production", "-o", "name").out()).isEmpty();
    // stamped by the API server, or declared as examples/README.md shows for Kubernetes before 1.36
    assertThat(get(STAGING, "{.metadata.annotations.migrationgate\\.io/requested-by}"))
        .isEqualTo(LocalUser.REQUESTER.userName());
    g.awaitPhase(STAGING, "orders-add-status", "AwaitingApproval", GuardedCluster.PLANNED);
    assertThat(get(STAGING, "{.status.plan.check.mode}")).as("the plan Job read the database").isEqualTo("Database");

    Matcher documented = Pattern.compile("sha256:[0-9a-f]{64}")
        .matcher(Files.readString(REPO.resolve("examples/README.md")));
    assertThat(documented.find()).as("examples/README.md shows the scripts' digest").isTrue();
    assertThat(get(STAGING, "{.status.plan.scriptsDigest}")).as("the digest examples/README.md promises")
        .isEqualTo(documented.group());
    String digest = get(STAGING, "{.status.plan.digest}");

    g.approve(STAGING, "orders-add-status", digest);
    Kubectl.Result ready = g.requester.run("wait", "--for=condition=Ready", "mr/orders-add-status", "-n", STAGING,
        "--timeout=180s");
    assertThat(ready.ok()).as(ready.toString()).isTrue();
    assertThat(get(STAGING, "{.status.approval.digest}")).isEqualTo(digest);
    assertThat(get(STAGING, "{.status.result.schemaVersionAfter}")).isEqualTo("2");

    Kubectl.Result events = g.requester.run("get", "events", "-n", STAGING, "--field-selector",
        "involvedObject.kind=MigrationRequest,involvedObject.name=orders-add-status", "-o",
        "jsonpath={range .items[*]}{.reason}{\"\\n\"}{end}");
    assertThat(events.out().lines()).as(events.toString())
        .contains("AwaitingApproval", "Approved", "JobCreated", "MigrationSucceeded")
        // AwaitingApproval names the plan's digest; a PlanRecorded Event beside it would be a second write
        .doesNotContain("PlanRecorded");
  }
}
