package io.migrationgate.localcluster.kubelet;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each container image means on this machine.
 *
 * <ul>
 *   <li>The Migration Gate image (any registry or tag whose last path part is {@code migration-gate})
 *       is the image the build wrote ({@link UnpackedImage}): its entry point, its {@code /app} and
 *       its Java runtime ({@code /opt/java}, also for a bare {@code java}) from the unpacked layers,
 *       with the image's shared libraries before the host's.
 *   <li>{@code busybox} and {@code alpine} run their command with the host's tools.
 * </ul>
 * Any other image is reported like a pull failure ({@code ErrImagePull}).
 */
public final class ImageMappings {

  public static final String RUNNER_IMAGE_NAME = "migration-gate";
  static final String JAVA_HOME_IN_IMAGE = "/opt/java";

  /** The host program for one image. */
  public record Mapped(List<String> entrypoint, Map<String, String> commandRewrites, Map<String, String> pathRewrites,
      Map<String, String> env) {}

  private final UnpackedImage image;

  public ImageMappings(UnpackedImage image) {
    this.image = image;
  }

  public Optional<Mapped> resolve(String reference) {
    String repository = repository(reference);
    String name = repository.substring(repository.lastIndexOf('/') + 1);
    if (name.equals(RUNNER_IMAGE_NAME)) {
      return Optional.of(new Mapped(image.entrypoint(),
          Map.of("java", image.host(JAVA_HOME_IN_IMAGE + "/bin/java")),
          Map.of("/app", image.host("/app"), JAVA_HOME_IN_IMAGE, image.host(JAVA_HOME_IN_IMAGE)),
          Map.of("LD_LIBRARY_PATH", image.libraryPath(), "JAVA_HOME", image.host(JAVA_HOME_IN_IMAGE))));
    }
    if (name.equals("busybox") || name.equals("alpine")) {
      return Optional.of(new Mapped(List.of("sh"), Map.of(), Map.of(), Map.of()));
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
