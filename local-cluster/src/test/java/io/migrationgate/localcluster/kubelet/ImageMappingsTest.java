package io.migrationgate.localcluster.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageMappingsTest {

  final ImageMappings images = new ImageMappings(new UnpackedImage(Path.of("/work/image"),
      List.of("/opt/java/bin/java", "-XX:+UseSerialGC", "-jar", "/app/migration-gate.jar")));

  @Test
  void theMigrationGateImageRunsTheUnpackedImageWhateverItsRegistryTagOrDigest() {
    for (String image : new String[] {"migration-gate:local", "registry.example:5000/team/migration-gate:1.2",
        "registry.example/migration-gate@sha256:" + "a".repeat(64)}) {
      ImageMappings.Mapped mapped = images.resolve(image).orElseThrow();
      assertThat(mapped.entrypoint()).containsExactly("/opt/java/bin/java", "-XX:+UseSerialGC", "-jar",
          "/app/migration-gate.jar");
      assertThat(mapped.pathRewrites()).containsEntry("/app", "/work/image/app")
          .containsEntry("/opt/java", "/work/image/opt/java");
      assertThat(mapped.commandRewrites()).containsEntry("java", "/work/image/opt/java/bin/java");
      assertThat(mapped.env()).containsEntry("LD_LIBRARY_PATH",
          "/work/image/lib/x86_64-linux-gnu:/work/image/usr/lib/x86_64-linux-gnu");
    }
  }

  @Test
  void shellImagesRunOnTheHostAndOthersAreUnknown() {
    assertThat(images.resolve("busybox:1.36")).isPresent();
    assertThat(images.resolve("registry.example/library/alpine:3")).isPresent();
    assertThat(images.resolve("registry.example/migration-gate-tools:1")).isEmpty();
    assertThat(images.resolve("postgres:17")).isEmpty();
  }
}
