package io.migrationgate.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's base packages as {@link ImageBuilder} takes them, with apt-get as the image build
 * uses it (Debian 12 with its package lists, as the image build needs anyway).
 */
class BasePackagesTest {

  @TempDir
  Path cache;

  @Test
  void aPinnedPackageIsTakenOnlyWithItsPinnedSha256() throws Exception {
    ImageSpec.DebianPackage zlib = ImageSpec.BASE_PACKAGES.get(3);
    assertThat(ImageBuilder.checkedDeb(cache, zlib)).satisfies(taken -> {
      assertThat(taken.version()).isEqualTo(zlib.version());
      assertThat(taken.label()).isEqualTo("zlib1g=" + zlib.version() + "@sha256:" + zlib.sha256());
    });
    // the cached file changed (a mirror served other bytes, or someone edited it): refused, not used
    Files.write(cache.resolve(zlib.fileName()), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> ImageBuilder.checkedDeb(cache, zlib))
        .hasMessageContaining("ImageSpec pins " + zlib.sha256()).hasMessageContaining("delete the file");
  }

  @Test
  void aPinnedVersionDebianNoLongerServesGivesWayToTheServedOneAndTheLabelSaysWhich() throws Exception {
    ImageSpec.DebianPackage gone = new ImageSpec.DebianPackage("zlib1g", "1:1.2.13.dfsg-0-never-released",
        "0".repeat(64));
    ImageBuilder.BasePackage taken = ImageBuilder.checkedDeb(cache, gone);
    assertThat(taken.version()).isNotEqualTo(gone.version()).startsWith("1:");
    assertThat(taken.deb()).exists();
    assertThat(taken.label()).matches("zlib1g=1:[^@]+@sha256:[0-9a-f]{64}").doesNotContain(gone.sha256());
  }
}
