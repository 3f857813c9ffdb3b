package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
@ExtendWith(GuardedClusterExtension.class)
class ExamplesIT {

  static final String STAGING = "shop-staging";
  static final Path REPO = Path.of(System.getProperty("mg.repo", "..")).toAbsolutePath().normalize();
  static LocalCluster cluster;
  static Examples.Applied applied;
  static Kubectl requester;
  static Kubectl approver;

  @BeforeAll
  static void applyExamples(LocalCluster localCluster) throws Exception {
    cluster = localCluster;
    applied = Examples.apply(cluster, REPO.resolve("examples"));
    requester = cluster.kubectl(LocalUser.REQUESTER);
    approver = cluster.kubectl(LocalUser.APPROVER);
  }

  static String get(String namespace, String jsonPath) {
    return requester.run("get", "mr", "orders-add-status", "-n", namespace, "-o", "jsonpath=" + jsonPath).out();
  }

  @Test
  void theWalkthroughOfExamplesReadmeHolds() throws Exception {
    assertThat(applied.refused()).as("what the API server refused").containsOnlyKeys(
        REPO.resolve("examples/request-production.yaml"));
    assertThat(applied.refused().values()).singleElement().asString()
        .contains("namespace shop-production matches the blocked selector");
    assertThat(requester.run("get", "mr", "-n", "shop-production", "-o", "name").out()).isEmpty();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(get(STAGING, "{.status.phase}")).isEqualTo("AwaitingApproval"));
    assertThat(get(STAGING, "{.status.plan.check.mode}")).as("the plan Job read the database").isEqualTo("Database");

    Matcher documented = Pattern.compile("sha256:[0-9a-f]{64}")
        .matcher(Files.readString(REPO.resolve("examples/README.md")));
    assertThat(documented.find()).as("examples/README.md shows the scripts' digest").isTrue();
    assertThat(get(STAGING, "{.status.plan.scriptsDigest}")).as("the digest examples/README.md promises")
        .isEqualTo(documented.group());
    String digest = get(STAGING, "{.status.plan.digest}");

    Kubectl.Result approved = approver.run("annotate", "mr", "orders-add-status", "-n", STAGING,
        "migrationgate.io/approved-by=" + LocalUser.APPROVER.userName(), "migrationgate.io/approved-digest=" + digest);
    assertThat(approved.ok()).as(approved.toString()).isTrue();
    Kubectl.Result ready = requester.run("wait", "--for=condition=Ready", "mr/orders-add-status", "-n", STAGING,
        "--timeout=180s");
    assertThat(ready.ok()).as(ready.toString()).isTrue();
    assertThat(get(STAGING, "{.status.approval.digest}")).isEqualTo(digest);
    assertThat(get(STAGING, "{.status.result.schemaVersionAfter}")).isEqualTo("2");

    Kubectl.Result events = requester.run("get", "events", "-n", STAGING, "--field-selector",
        "involvedObject.kind=MigrationRequest,involvedObject.name=orders-add-status", "-o",
        "jsonpath={range .items[*]}{.reason}{\"\\n\"}{end}");
    assertThat(events.out().lines()).as(events.toString())
        .contains("AwaitingApproval", "Approved", "JobCreated", "MigrationSucceeded")
        // AwaitingApproval names the plan's digest; a PlanRecorded Event beside it would be a second write
        .doesNotContain("PlanRecorded");
  }
}
