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
 * classes would drag the Kubernetes client into the Job and couple the two release cycles.
 */
class RunnerIndependenceTest {

  @Test
  void runnerSourcesNeverImportTheOperatorOrTheApiPackages() throws IOException {
    Path runnerSources = Path.of("src/main/java/io/migrationgate/runner");
    List<String> offending;
    try (Stream<Path> files = Files.walk(runnerSources)) {
      offending =
          files
              .filter(file -> file.toString().endsWith(".java"))
              .filter(RunnerIndependenceTest::mentionsOperatorOrApi)
              .map(Path::toString)
              .toList();
    }

    assertThat(runnerSources).isDirectory();
    assertThat(offending).isEmpty();
  }

  private static boolean mentionsOperatorOrApi(Path file) {
    try {
      String source = Files.readString(file);
      return source.contains("io.migrationgate.operator") || source.contains("io.migrationgate.api");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
