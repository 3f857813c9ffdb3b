package io.migrationgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runner ships in the operator's jar but runs alone in a Job; depending on operator or CRD
 * classes, the Kubernetes client or the operator SDK would drag them into every Job and couple the
 * two release cycles. The contract package is what the runner shares with the operator, so it is
 * held to the same rule and may not reach into the runner either: both sides depend on it, it on
 * neither.
 */
class RunnerIndependenceTest {

  private static final Path RUNNER = Path.of("src/main/java/io/migrationgate/runner");
  private static final Path CONTRACT = Path.of("src/main/java/io/migrationgate/contract");
  private static final List<String> OPERATOR_OR_API = List.of("io.migrationgate.operator", "io.migrationgate.api");
  private static final List<String> KUBERNETES = List.of("io.fabric8", "io.javaoperatorsdk");

  @Test
  void runnerSourcesNeverImportTheOperatorOrTheApiPackages() throws IOException {
    assertThat(offending(RUNNER, OPERATOR_OR_API)).isEmpty();
  }

  @Test
  void runnerSourcesNeverImportTheKubernetesClientOrJosdk() throws IOException {
    assertThat(offending(RUNNER, KUBERNETES)).isEmpty();
  }

  @Test
  void contractSourcesNeverImportTheOperatorTheApiOrKubernetes() throws IOException {
    assertThat(offending(CONTRACT, OPERATOR_OR_API)).isEmpty();
    assertThat(offending(CONTRACT, KUBERNETES)).isEmpty();
  }

  @Test
  void contractSourcesNeverImportTheRunner() throws IOException {
    assertThat(offending(CONTRACT, List.of("io.migrationgate.runner"))).isEmpty();
  }

  private static List<String> offending(Path sources, List<String> forbidden) throws IOException {
    assertThat(sources).isDirectory();
    try (Stream<Path> files = Files.walk(sources)) {
      List<Path> java = files.filter(file -> file.toString().endsWith(".java")).toList();
      assertThat(java).as("sources under " + sources).isNotEmpty();
      return java.stream()
          .filter(file -> forbidden.stream().anyMatch(read(file)::contains))
          .map(Path::toString)
          .toList();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
