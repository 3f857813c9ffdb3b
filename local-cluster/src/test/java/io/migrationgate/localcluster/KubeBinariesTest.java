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
  void missingOperatorJarSaysHowToBuildIt(@TempDir Path empty) {
    assertThatThrownBy(() -> OperatorProcess.requireJar(empty.resolve("migration-gate.jar")))
        .hasMessageContaining("./mvnw -B -pl operator -am package -DskipTests");
  }
}
