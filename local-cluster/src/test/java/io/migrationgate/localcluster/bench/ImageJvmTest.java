package io.migrationgate.localcluster.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageJvmTest {

  private static final Path DOCKERFILE = Path.of("Dockerfile");
  private static final Path VALUES = Path.of("values.yaml");

  @Test
  void theRepositorysImageAndChartGiveTheirFlagsAndLimit() {
    ImageJvm jvm = ImageJvm.of(Path.of(System.getProperty("mg.repo", "..")));
    assertThat(jvm.entrypointFlags()).isNotEmpty().doesNotContain("java", "-jar");
    assertThat(jvm.memoryLimitBytes()).isPositive();
    assertThat(jvm.flags()).containsSubsequence(jvm.entrypointFlags())
        .contains("-XX:MaxRAM=" + jvm.memoryLimitBytes());
  }

  @Test
  void flagsAreTheItemsBetweenJavaAndJar() {
    String dockerfile = """
        FROM eclipse-temurin:17-jre
        ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Xss256k", "-jar", "/app/migration-gate.jar"]
        """;
    assertThat(ImageJvm.entrypointFlags(dockerfile, DOCKERFILE)).containsExactly("-XX:MaxRAMPercentage=75", "-Xss256k");
  }

  @Test
  void aLimitBelowServerClassGetsTheCollectorThePodWouldPickUnlessTheImageNamesOne() {
    long limit = 512L * 1024 * 1024;
    assertThat(new ImageJvm(List.of("-XX:MaxRAMPercentage=75"), limit, "512Mi").flags())
        .containsExactly("-XX:MaxRAMPercentage=75", "-XX:MaxRAM=536870912", "-XX:+UseSerialGC");
    assertThat(new ImageJvm(List.of("-XX:+UseG1GC"), limit, "512Mi").flags())
        .containsExactly("-XX:+UseG1GC", "-XX:MaxRAM=536870912");
    assertThat(new ImageJvm(List.of(), 2048L * 1024 * 1024, "2Gi").flags()).containsExactly("-XX:MaxRAM=2147483648");
  }

  @Test
  void theMemoryLimitIsReadAsAKubernetesQuantity() {
    assertThat(ImageJvm.memoryLimit("resources:\n  limits:\n    memory: 384Mi\n", VALUES)).isEqualTo("384Mi");
  }

  @Test
  void aDockerfileTheBenchmarkCannotReadIsRefusedSayingWhatToFix() {
    assertThatThrownBy(() -> ImageJvm.entrypointFlags("FROM x\n", DOCKERFILE)).hasMessageContaining("no ENTRYPOINT");
    assertThatThrownBy(() -> ImageJvm.entrypointFlags("ENTRYPOINT java -jar /app/x.jar\n", DOCKERFILE))
        .hasMessageContaining("exec form");
    assertThatThrownBy(() -> ImageJvm.entrypointFlags("ENTRYPOINT [\"/app/run.sh\"]\n", DOCKERFILE))
        .hasMessageContaining("\"java\" ... \"-jar\"");
  }

  @Test
  void valuesWithoutAMemoryLimitAreRefused() {
    assertThatThrownBy(() -> ImageJvm.memoryLimit("resources:\n  requests:\n    cpu: 100m\n", VALUES))
        .hasMessageContaining("no resources.limits.memory");
  }
}
