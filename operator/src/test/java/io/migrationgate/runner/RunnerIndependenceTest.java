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
 * classes would drag the Kubernetes client into the Job and couple the two release cycles. The
 * contract package is what the runner shares with the operator, so it is held to the same rule and
 * may not reach for the Kubernetes client or the operator SDK either.
 */
class RunnerIndependenceTest {

  private static final List<String> OPERATOR_OR_API = List.of("io.migrationgate.operator", "io.migrationgate.api");
  private static final List<String> KUBERNETES = List.of("io.fabric8", "io.javaoperatorsdk");

  @Test
  void runnerSourcesNeverImportTheOperatorOrTheApiPackages() throws IOException {
    assertThat(offending(Path.of("src/main/java/io/migrationgate/runner"), OPERATOR_OR_API)).isEmpty();
  }

  @Test
  void contractSourcesNeverImportTheOperatorTheApiOrKubernetes() throws IOException {
    assertThat(offending(Path.of("src/main/java/io/migrationgate/contract"), OPERATOR_OR_API)).isEmpty();
    assertThat(offending(Path.of("src/main/java/io/migrationgate/contract"), KUBERNETES)).isEmpty();
  }

  private static List<String> offending(Path sources, List<String> forbidden) throws IOException {
    assertThat(sources).isDirectory();
    try (Stream<Path> files = Files.walk(sources)) {
      return files
          .filter(file -> file.toString().endsWith(".java"))
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
