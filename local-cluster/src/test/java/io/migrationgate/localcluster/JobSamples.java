package io.migrationgate.localcluster;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Jobs exactly as the operator's JobFactory builds them for one request (in namespace "shop"),
 * committed under {@code src/test/resources/jobfactory} by the operator's JobSamplePublisher and
 * kept current by its CommittedJobSamplesTest. Each call reads a fresh copy, for a test to change.
 */
final class JobSamples {

  private JobSamples() {}

  /** The run Job of a request whose scripts come from a ConfigMap: the runner mounts the snapshot. */
  static Job runFromConfigMap() {
    return read("run-configmap-source.yaml");
  }

  /** The run Job of a request whose scripts come from an image: an init container copies them. */
  static Job runFromImage() {
    return read("run-image-source.yaml");
  }

  /** The read-only plan Job: the runner's plan program in the run Job's pod. */
  static Job plan() {
    return read("plan-configmap-source.yaml");
  }

  /** The plan Job of an image source: the runner alone, the image not opened before approval. */
  static Job planFromImage() {
    return read("plan-image-source.yaml");
  }

  /** The image the runner container runs in every sample. */
  static String runnerImage() {
    return runFromConfigMap().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private static Job read(String file) {
    try (InputStream yaml = JobSamples.class.getResourceAsStream("/jobfactory/" + file)) {
      if (yaml == null) {
        throw new IllegalStateException("no jobfactory/" + file + " on the test classpath");
      }
      return Serialization.unmarshal(yaml, Job.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
