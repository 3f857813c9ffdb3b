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
 * examples/README.md holds on a real control plane, including the plan digest it prints.
 */
@ExtendWith(LocalClusterExtension.class)
class ExamplesIT {

  static final String STAGING = "shop-staging";
  static final Path REPO = Path.of(System.getProperty("mg.repo", "..")).toAbsolutePath().normalize();
  static LocalCluster cluster;
  static Kubectl requester;
  static Kubectl approver;

  @BeforeAll
  static void applyExamples(LocalCluster localCluster) throws Exception {
    cluster = localCluster;
    Examples.apply(cluster, REPO.resolve("examples"));
    requester = cluster.kubectl(LocalUser.REQUESTER);
    approver = cluster.kubectl(LocalUser.APPROVER);
  }

  static String get(String namespace, String jsonPath) {
    return requester.run("get", "mr", "orders-add-status", "-n", namespace, "-o", "jsonpath=" + jsonPath).out();
  }

  @Test
  void theWalkthroughOfExamplesReadmeHolds() throws Exception {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(get(STAGING, "{.status.phase}")).isEqualTo("AwaitingApproval"));
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(get("shop-production", "{.status.phase}")).isEqualTo("Blocked"));

    String digest = get(STAGING, "{.status.plan.digest}");
    Matcher documented = Pattern.compile("sha256:[0-9a-f]{64}")
        .matcher(Files.readString(REPO.resolve("examples/README.md")));
    assertThat(documented.find()).as("examples/README.md shows the plan digest").isTrue();
    assertThat(digest).as("the digest examples/README.md promises").isEqualTo(documented.group());

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
    assertThat(get("shop-production", "{.status.phase}")).isEqualTo("Blocked");
  }
}
