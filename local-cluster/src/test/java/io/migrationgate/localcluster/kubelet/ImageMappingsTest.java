package io.migrationgate.localcluster.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImageMappingsTest {

  final ImageMappings images = new ImageMappings(Path.of("/repo/operator/target/migration-gate.jar"), "/jdk/bin/java");

  @Test
  void theMigrationGateImageRunsTheShadedJarWhateverItsRegistryTagOrDigest() {
    for (String image : new String[] {"migration-gate:local", "registry.example:5000/team/migration-gate:1.2",
        "registry.example/migration-gate@sha256:" + "a".repeat(64)}) {
      ImageMappings.Mapped mapped = images.resolve(image).orElseThrow();
      assertThat(mapped.pathRewrites()).containsEntry("/app/migration-gate.jar", "/repo/operator/target/migration-gate.jar")
          .containsEntry("/app/migration-gate.jsa", "/repo/operator/target/migration-gate.jsa");
      assertThat(mapped.commandRewrites()).containsEntry("java", "/jdk/bin/java");
      assertThat(mapped.entrypoint()).containsExactly("java", "-jar", "/app/migration-gate.jar");
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
