package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A blocked-namespace selector with an empty value set parses as a selector that
 * matches nothing, so the production guard would let every namespace through. Kubernetes itself
 * refuses such a selector; the operator must refuse to start with it rather than run unguarded.
 */
@ExtendWith(SharedClusters.class)
class FailOpenSelectorIT {

  private final GuardedCluster g;

  FailOpenSelectorIT(GuardedCluster guarded) {
    this.g = guarded;
  }

  @Test
  void anOperatorGivenASelectorThatBlocksNothingRefusesToStart() throws Exception {
    for (String selector : new String[] {"environment in ()", "environment notin ( )"}) {
      Path logs = Files.createTempDirectory("mg-fail-open-");
      OperatorProcess operator = g.release.operatorProcess("fail-open-probe", logs,
          Map.of("MG_BLOCKED_NAMESPACE_SELECTOR", selector, "MG_LEASE_NAME", "fail-open-probe"));
      try {
        assertThatThrownBy(() -> operator.start(java.time.Duration.ofSeconds(60)))
            .as("an operator with MG_BLOCKED_NAMESPACE_SELECTOR=%s", selector)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("exited")
            .hasMessageContaining("MG_BLOCKED_NAMESPACE_SELECTOR=" + selector + " is not valid");
      } finally {
        operator.close();
        Processes.deleteTree(logs);
      }
    }
  }
}
