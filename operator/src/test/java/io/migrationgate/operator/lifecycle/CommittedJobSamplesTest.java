package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Jobs the local-cluster tests forge from are the ones JobFactory builds: the build fails when one is stale. */
class CommittedJobSamplesTest {

  private static final Path MODULE = Path.of("");

  @Test
  void committedJobSamplesMatchWhatJobFactoryBuilds() throws IOException {
    Path directory = JobSamplePublisher.directory(MODULE);
    for (Map.Entry<String, String> sample : JobSamplePublisher.samples().entrySet()) {
      Path committed = directory.resolve(sample.getKey());
      assertThat(committed).as("%s is missing: run %s and commit the result", committed,
          JobSamplePublisher.REGENERATE).exists();
      assertThat(Files.readString(committed))
          .as("%s is not what JobFactory builds now: run %s and commit the result", committed,
              JobSamplePublisher.REGENERATE)
          .isEqualTo(sample.getValue());
    }
    try (var files = Files.list(directory)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as("files in %s that JobSamplePublisher does not publish", directory)
          .containsExactlyInAnyOrderElementsOf(JobSamplePublisher.samples().keySet());
    }
  }
}
