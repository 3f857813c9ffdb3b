package io.migrationgate.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * No production class grows past what a newcomer reads at once (issue 19): a class that needs more
 * than 350 lines holds more than one role and is split along it. Covers both modules with main
 * code, the operator's (with the runner and the contract) and the local cluster's.
 */
class ClassLengthTest {

  private static final int MAX_LINES = 350;
  private static final Path OPERATOR_MAIN = Path.of("src/main/java");
  private static final Path LOCAL_CLUSTER_MAIN = Path.of("../local-cluster/src/main/java");

  @Test
  void noClassOfTheOperatorTheRunnerOrTheContractIsLongerThan350Lines() {
    assertThat(longerThanTheLimit(OPERATOR_MAIN)).isEmpty();
  }

  @Test
  void noClassOfTheLocalClusterIsLongerThan350Lines() {
    assertThat(longerThanTheLimit(LOCAL_CLUSTER_MAIN)).isEmpty();
  }

  /** Each source file over the limit, by path, with its length. */
  private static Map<String, Long> longerThanTheLimit(Path root) {
    Map<Path, String> sources = PackageRolesTest.sources(root);
    assertThat(sources).as("Java sources under " + root).isNotEmpty();
    Map<String, Long> tooLong = new TreeMap<>();
    sources.forEach((file, text) -> {
      long lines = text.lines().count();
      if (lines > MAX_LINES) {
        tooLong.put(root.relativize(file).toString(), lines);
      }
    });
    return tooLong;
  }
}
