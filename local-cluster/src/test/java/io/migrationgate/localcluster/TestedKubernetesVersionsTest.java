package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart admits exactly the Kubernetes minors the e2e tests run on: from the older minor of the
 * POM's {@code older-kubernetes} profile ({@code mg.olderKubernetes}) up, with CI building both
 * versions' binaries and the docs naming them.
 */
class TestedKubernetesVersionsTest {

  static final Path REPO = ChartRelease.repo();
  static final String OLDER = System.getProperty("mg.olderKubernetes", "");

  static String read(String path) throws IOException {
    return Files.readString(REPO.resolve(path));
  }

  static int minor(String version) {
    Matcher m = Pattern.compile("1\\.(\\d+)\\.\\d+").matcher(version);
    assertThat(m.matches()).as("a Kubernetes version like 1.34.4: '%s'", version).isTrue();
    return Integer.parseInt(m.group(1));
  }

  @Test
  void theChartAdmitsFromTheOlderTestedMinorUp() throws IOException {
    assertThat(minor(OLDER)).as("the older minor (mg.olderKubernetes) is older than the default")
        .isLessThan(minor(KubeBinaries.DEFAULT_VERSION));
    assertThat(read("helm/migration-gate/Chart.yaml"))
        .containsPattern("(?m)^kubeVersion: \">=1\\." + minor(OLDER) + "\\.0-0\"$");
  }

  @Test
  void ciBuildsTheBinariesOfBothVersions() throws IOException {
    assertThat(read("local-cluster/kube-binaries.sh"))
        .contains("DEFAULT_K8S_VERSION=\"" + KubeBinaries.DEFAULT_VERSION + "\"");
    assertThat(read(".ci/run")).contains("\nbash local-cluster/kube-binaries.sh\n")
        .contains("\nK8S_VERSION=" + OLDER + " bash local-cluster/kube-binaries.sh\n");
  }

  @Test
  void theDocsNameTheTestedVersions() throws IOException {
    for (String doc : new String[] {"README.md", "docs/operations.md"}) {
      assertThat(read(doc)).as(doc).contains("Kubernetes " + KubeBinaries.DEFAULT_VERSION)
          .contains("Kubernetes " + OLDER);
    }
  }
}
