package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeBinariesTest {

  @Test
  void missingBinariesFailWithTheCommandThatBuildsThem(@TempDir Path empty) {
    assertThatThrownBy(() -> KubeBinaries.locate(Map.of("KUBE_API_TEST_DIR", empty.toString())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Kubernetes binaries missing")
        .hasMessageContaining("bash local-cluster/kube-binaries.sh");
  }

  @Test
  void missingBinariesOfAnotherVersionNameThatVersionInTheCommand(@TempDir Path empty) {
    assertThatThrownBy(() -> KubeBinaries.locate(Map.of("KUBE_API_TEST_DIR", empty.toString(),
        "KUBE_API_TEST_API_SERVER_VERSION", "1.34.4")))
        .hasMessageContaining("K8S_VERSION=1.34.4 bash local-cluster/kube-binaries.sh");
  }

  @Test
  void missingOperatorJarSaysHowToBuildIt(@TempDir Path empty) {
    assertThatThrownBy(() -> OperatorProcess.requireJar(empty.resolve("migration-gate.jar")))
        .hasMessageContaining("./mvnw -B -pl operator -am package -DskipTests");
  }

  @Test
  void aWildcardVersionPicksTheNewestInstalledPatch(@TempDir Path base) throws Exception {
    String suffix = KubeBinaries.locateSuffix();
    for (String version : new String[] {"1.36.2", "1.36.10", "1.35.9"}) {
      Path dir = java.nio.file.Files.createDirectories(base.resolve("k8s").resolve(version + suffix));
      for (String name : KubeBinaries.REQUIRED) {
        Path binary = java.nio.file.Files.createFile(dir.resolve(name));
        binary.toFile().setExecutable(true);
      }
    }
    KubeBinaries found = KubeBinaries.locate(Map.of("KUBE_API_TEST_DIR", base.toString(),
        "KUBE_API_TEST_API_SERVER_VERSION", "1.36.*"));
    org.assertj.core.api.Assertions.assertThat(found.version()).isEqualTo("1.36.10");
  }
}
