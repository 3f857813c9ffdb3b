package io.migrationgate.localcluster.kubelet;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each container image means on this machine. There are no images here: an image name maps to
 * a program on the host and to path rewrites that stand in for the image's file system.
 *
 * <ul>
 *   <li>The Migration Gate image (any registry or tag whose last path part is {@code migration-gate})
 *       runs this repository's shaded jar with this JVM's java: {@code /app/migration-gate.jar}, the
 *       image's class-data archive {@code /app/migration-gate.jsa} (the one the build wrote beside
 *       the jar, for this JVM) and a bare {@code java} are rewritten.
 *   <li>{@code busybox} and {@code alpine} run their command with the host's tools.
 * </ul>
 * Any other image is reported like a pull failure ({@code ErrImagePull}).
 */
public final class ImageMappings {

  public static final String RUNNER_IMAGE_NAME = "migration-gate";
  public static final String RUNNER_JAR_IN_IMAGE = "/app/migration-gate.jar";
  public static final String CLASS_DATA_ARCHIVE_IN_IMAGE = "/app/migration-gate.jsa";

  /** The host program for one image. */
  public record Mapped(List<String> entrypoint, Map<String, String> commandRewrites, Map<String, String> pathRewrites) {}

  private final Path runnerJar;
  private final String java;

  public ImageMappings(Path runnerJar, String java) {
    this.runnerJar = runnerJar;
    this.java = java;
  }

  public Optional<Mapped> resolve(String image) {
    String repository = repository(image);
    String name = repository.substring(repository.lastIndexOf('/') + 1);
    if (name.equals(RUNNER_IMAGE_NAME)) {
      return Optional.of(new Mapped(
          List.of("java", "-jar", RUNNER_JAR_IN_IMAGE),
          Map.of("java", java),
          Map.of(RUNNER_JAR_IN_IMAGE, runnerJar.toString(),
              CLASS_DATA_ARCHIVE_IN_IMAGE, runnerJar.resolveSibling("migration-gate.jsa").toString())));
    }
    if (name.equals("busybox") || name.equals("alpine")) {
      return Optional.of(new Mapped(List.of("sh"), Map.of(), Map.of()));
    }
    return Optional.empty();
  }

  /** {@code registry/path/name:tag@sha256:...} without tag and digest. */
  static String repository(String image) {
    String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int slash = withoutDigest.lastIndexOf('/');
    int colon = withoutDigest.lastIndexOf(':');
    return colon > slash ? withoutDigest.substring(0, colon) : withoutDigest;
  }
}
