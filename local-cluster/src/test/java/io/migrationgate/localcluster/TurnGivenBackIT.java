package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request that holds its target's turn but whose run pod cannot start gives the turn back after
 * the operator's start timeout (here 45 s, MG_RUN_START_TIMEOUT; the chart's default is 10 minutes)
 * and says so, and the next request on the target runs: one tenant's request that cannot start
 * does not hold a database for its whole timeout.
 */
@ExtendWith(SharedClusters.class)
class TurnGivenBackIT {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(45);

  private final GuardedCluster g;

  TurnGivenBackIT(GuardedCluster guarded) {
    this.g = guarded;
  }

  @Test
  void aRunWhosePodCannotBeScheduledGivesItsTurnBackAndTheNextRequestOnTheTargetRuns() throws Exception {
    String ns = "turn-given-back";
    g.createNamespace(ns);
    String url = g.database("turn_given_back");
    g.release.stopOperator();
    Path logs = Files.createTempDirectory("mg-turn-given-back-");
    OperatorProcess operator = g.release.operatorProcess(ChartRelease.LEASE_IDENTITY, logs,
        Map.of("MG_RUN_START_TIMEOUT", START_TIMEOUT.toSeconds() + "s"));
    try {
      operator.start(ChartRelease.START_TIMEOUT);
      // A scripts-only plan (no plan Job), and a run pod that asks for a node nobody has.
      g.submit(ns, "stuck", Fixtures.orders(), Fixtures.unverifiedSpec("stuck", url)
          + "connectBeforeApproval: false\nrunner:\n  nodeSelector: {no-such-node: \"true\"}\n");
      g.awaitPhase(ns, "stuck", "AwaitingApproval", GuardedCluster.PLANNED);
      g.approve(ns, "stuck");
      g.awaitPhase(ns, "stuck", "Running", GuardedCluster.LAUNCHED);
      String stuckJob = g.request(ns, "stuck").at("/status/job/name").asText();

      g.submit(ns, "next", Fixtures.orders(), Fixtures.unverifiedSpec("next", url));
      g.awaitPhase(ns, "next", "AwaitingApproval", GuardedCluster.PLANNED);
      g.approve(ns, "next");
      JsonNode queued = g.awaitPhase(ns, "next", "Queued", GuardedCluster.VERDICT);
      assertThat(GuardedCluster.condition(queued, "Ready").path("message").asText()).as("behind the stuck run")
          .contains("stuck");

      JsonNode givenBack = g.awaitPhase(ns, "stuck", "Failed", START_TIMEOUT.plus(GuardedCluster.VERDICT));
      JsonNode failed = GuardedCluster.condition(givenBack, "Failed");
      assertThat(failed.path("reason").asText()).isEqualTo("RunNotStarted");
      assertThat(failed.path("message").asText()).contains("nothing ran", "turn goes to the next request");
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> g.client.batch().v1().jobs()
          .inNamespace(ChartRelease.NAMESPACE).withName(stuckJob).get() == null);

      g.awaitPhase(ns, "next", "Succeeded", GuardedCluster.FINISHED);
    } finally {
      operator.close();
      Processes.deleteTree(logs);
      g.ensureOperatorRunning();
    }
  }
}
