package io.migrationgate.localcluster.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migrationgate.localcluster.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The image that the build wrote as an OCI image layout ({@code operator/target/image}), unpacked
 * into a directory that stands in for its root file system: its layers in order, its entry point as
 * the config says, and the runner's class-data archive dumped for the jar where it lies here. The
 * process kubelet runs the image's own Java runtime, C library and jar from there, so a pod runs
 * what a cluster would pull.
 */
public record UnpackedImage(Path rootfs, List<String> entrypoint) {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Where the runner's Jobs look for it (the operator's RunnerJvm) and the image holds it. */
  private static final String CLASS_DATA_ARCHIVE = "/app/migration-gate.jsa";
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);

  /**
   * The one image of {@code layout}, unpacked once per image into {@code cache}{@code /<manifest
   * digest>} and shared by every cluster of this build (the kubelet only reads it).
   */
  public static UnpackedImage unpack(Path layout, Path cache) {
    if (!Files.isRegularFile(layout.resolve("index.json"))) {
      throw new IllegalStateException("no OCI image layout at " + layout + ": the process kubelet runs the image that"
          + " the build writes there; build it with ./mvnw -B -q -pl operator install -DskipTests");
    }
    try {
      JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
      JsonNode manifestDescriptor = index.path("manifests").get(0);
      JsonNode manifest = JSON.readTree(blob(layout, manifestDescriptor).toFile());
      JsonNode config = JSON.readTree(blob(layout, manifest.path("config")).toFile());
      List<String> entrypoint = new ArrayList<>();
      config.path("config").path("Entrypoint").forEach(item -> entrypoint.add(item.asText()));
      Path rootfs = cache.resolve(manifestDescriptor.path("digest").asText().substring("sha256:".length(), 23));
      UnpackedImage unpacked = new UnpackedImage(rootfs, List.copyOf(entrypoint));
      // the archive records where the jar lies, so the dump runs in place; the marker says it is all there
      Path complete = cache.resolve(rootfs.getFileName() + ".complete");
      synchronized (UnpackedImage.class) {
        if (!Files.exists(complete)) {
          Processes.deleteTree(rootfs);
          Files.createDirectories(rootfs);
          for (JsonNode layer : manifest.path("layers")) {
            Processes.run(List.of("tar", "-xzf", blob(layout, layer).toString(), "-C", rootfs.toString()), STEP_TIMEOUT);
          }
          unpacked.dumpClassDataArchiveHere();
          Files.createFile(complete);
        }
      }
      return unpacked;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the image layout at " + layout, e);
    }
  }

  /**
   * The image's class-data archive maps only for the jar at {@code /app}; here the jar lies under
   * {@link #rootfs}, so the archive is dumped again, by the image's own java from the image's class
   * list, for the jar where it lies: what the Dockerfile's dump does for {@code /app}. Without it the
   * runner's Jobs would start without the archive and cost a third more CPU than in a cluster.
   */
  private void dumpClassDataArchiveHere() throws IOException {
    Path archive = Path.of(host(CLASS_DATA_ARCHIVE));
    Files.deleteIfExists(archive);
    Processes.run(List.of("env", "LD_LIBRARY_PATH=" + libraryPath(), host(ImageMappings.JAVA_HOME_IN_IMAGE + "/bin/java"),
        "-Xshare:dump", "-XX:SharedClassListFile=" + host("/app/migration-gate.classlist"),
        "-XX:SharedArchiveFile=" + archive, "-cp", host("/app/migration-gate.jar")), STEP_TIMEOUT);
  }

  /** The host path of {@code path} in the image. */
  public String host(String path) {
    return rootfs.resolve(path.substring(1)).toString();
  }

  /** Where the image's shared libraries are, for the host's loader to take them instead of the host's. */
  public String libraryPath() {
    return host("/lib/x86_64-linux-gnu") + ":" + host("/usr/lib/x86_64-linux-gnu");
  }

  private static Path blob(Path layout, JsonNode descriptor) {
    return layout.resolve("blobs/sha256").resolve(descriptor.path("digest").asText().substring("sha256:".length()));
  }
}
