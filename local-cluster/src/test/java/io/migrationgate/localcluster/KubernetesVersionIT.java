package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.VersionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The e2e run is on the Kubernetes it asked for, and the chart installed there records
 * requested-by as that version allows: stamped by the API server from 1.36 (MutatingAdmissionPolicy
 * v1), declared by the creator before. The older minor's run (local-cluster/pom.xml, profile
 * {@code older-kubernetes}) names its version in {@code mg.kubernetes}; a run that silently fell
 * back to the newest binaries fails here.
 */
@ExtendWith(SharedClusters.class)
class KubernetesVersionIT {

  @Test
  void theClusterRunsTheAskedVersionAndTheChartRecordsRequestedByAsItAllows(GuardedCluster g) {
    String asked = System.getProperty("mg.kubernetes",
        System.getenv().getOrDefault("KUBE_API_TEST_API_SERVER_VERSION", KubeBinaries.DEFAULT_VERSION));
    VersionInfo server = g.client.getKubernetesVersion();
    assertThat(server.getGitVersion()).isEqualTo("v" + asked);

    boolean stamps = Integer.parseInt(server.getMinor().replaceAll("\\D", "")) >= 36;
    assertThat(g.requestedBy).isEqualTo(stamps ? RequestedBy.STAMPED : RequestedBy.DECLARED);
    assertThat(g.release.installOutput()).contains(stamps
        ? "migrationgate.io/requested-by: stamped by the API server"
        : "migrationgate.io/requested-by: declared by the creator, checked by the approvals policy");
    if (!stamps) {
      // the command the notes give creators, as ExamplesIT and examples/README.md apply it
      assertThat(g.release.installOutput()).contains("kubectl annotate --local -f request.yaml -o yaml",
          "migrationgate.io/requested-by=\"$(kubectl auth whoami -o jsonpath='{.status.userInfo.username}')\"");
    }
  }
}
