package io.migrationgate.localcluster.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The image that the build wrote as an OCI image layout ({@code operator/target/image}), unpacked
 * into a directory that stands in for its root file system: its layers in order, its entry point as
 * the config says. The process kubelet runs the image's own Java runtime, C library and jar from
 * there, so a pod runs what a cluster would pull.
 */
public record UnpackedImage(Path rootfs, List<String> entrypoint) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Unpacks the one image of {@code layout} into {@code into}. */
  public static UnpackedImage unpack(Path layout, Path into) {
    if (!Files.isRegularFile(layout.resolve("index.json"))) {
      throw new IllegalStateException("no OCI image layout at " + layout + ": the process kubelet runs the image that"
          + " the build writes there; build it with ./mvnw -B -q -pl operator install -DskipTests");
    }
    try {
      JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
      JsonNode manifest = JSON.readTree(blob(layout, index.path("manifests").get(0)).toFile());
      JsonNode config = JSON.readTree(blob(layout, manifest.path("config")).toFile());
      Files.createDirectories(into);
      for (JsonNode layer : manifest.path("layers")) {
        Process tar = new ProcessBuilder("tar", "-xzf", blob(layout, layer).toString()).directory(into.toFile())
            .inheritIO().start();
        if (tar.waitFor() != 0) {
          throw new IllegalStateException("could not unpack " + blob(layout, layer) + " into " + into);
        }
      }
      List<String> entrypoint = new ArrayList<>();
      config.path("config").path("Entrypoint").forEach(item -> entrypoint.add(item.asText()));
      return new UnpackedImage(into, List.copyOf(entrypoint));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the image layout at " + layout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while unpacking " + layout, e);
    }
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
