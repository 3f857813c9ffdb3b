package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migrationgate.localcluster.bench.ImageJvm;
import io.migrationgate.localcluster.kubelet.UnpackedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image that {@code package} wrote (operator/target/image, an OCI image layout), read as a
 * registry or a container runtime would: every blob is what its digest says, the config runs the
 * build's jar as a non-root numeric user with the Dockerfile's JVM flags and carries the OCI labels,
 * and the unpacked file system starts: its own java runtime, its own C library, its own jar.
 */
class BuiltImageIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Path REPO = ChartRelease.repo();
  static final Path LAYOUT = REPO.resolve("operator/target/image");

  static JsonNode manifest;
  static JsonNode config;

  @TempDir
  static Path rootfs;

  @BeforeAll
  static void readAndUnpack() throws Exception {
    JsonNode index = JSON.readTree(LAYOUT.resolve("index.json").toFile());
    assertThat(index.path("manifests")).hasSize(1);
    manifest = JSON.readTree(blob(index.path("manifests").get(0)));
    config = JSON.readTree(blob(manifest.path("config")));
    for (JsonNode layer : manifest.path("layers")) {
      blob(layer);
      run(rootfs, "tar", "-xzf", path(layer).toString());
    }
  }

  @Test
  void theLayoutIsAnOciLayoutOfGzipLayersWhoseDiffIdsMatch() throws Exception {
    assertThat(JSON.readTree(LAYOUT.resolve("oci-layout").toFile()).path("imageLayoutVersion").asText())
        .isEqualTo("1.0.0");
    assertThat(manifest.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(config.path("os").asText()).isEqualTo("linux");
    assertThat(config.path("architecture").asText()).isEqualTo("amd64");
    List<String> diffIds = new ArrayList<>();
    for (JsonNode layer : manifest.path("layers")) {
      assertThat(layer.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
      try (InputStream in = new GZIPInputStream(Files.newInputStream(path(layer)))) {
        diffIds.add(sha256(in));
      }
    }
    assertThat(config.path("rootfs").path("diff_ids")).extracting(JsonNode::asText).containsExactlyElementsOf(diffIds);
  }

  @Test
  void itRunsTheBuildsJarAsANonRootNumericUserWithTheDockerfilesFlags() throws Exception {
    JsonNode run = config.path("config");
    assertThat(run.path("User").asText()).isEqualTo("65532:65532");
    List<String> entrypoint = strings(run.path("Entrypoint"));
    assertThat(entrypoint.get(0)).isEqualTo("/opt/java/bin/java");
    assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size()))
        .containsExactly("-jar", "/app/migration-gate.jar");
    assertThat(entrypoint.subList(1, entrypoint.size() - 2))
        .as("the JVM flags of the image and of the Dockerfile (which the benchmark reads)")
        .containsExactlyElementsOf(ImageJvm.of(REPO).entrypointFlags());
    assertThat(strings(run.path("Env"))).contains("PATH=/opt/java/bin:/usr/bin:/bin");
    assertThat(run.path("WorkingDir").asText()).isEqualTo("/tmp");
    assertThat(Files.mismatch(rootfs.resolve("app/migration-gate.jar"), REPO.resolve("operator/target/migration-gate.jar")))
        .as("the jar in the image is the build's jar").isEqualTo(-1L);
  }

  @Test
  void itCarriesTheOciLabels() throws Exception {
    JsonNode labels = config.path("config").path("Labels");
    assertThat(labels.path("org.opencontainers.image.licenses").asText()).isEqualTo("Apache-2.0");
    assertThat(labels.path("org.opencontainers.image.version").asText()).isEqualTo(
        JSON.readTree(REPO.resolve("operator/target/migration-gate.cdx.json").toFile())
            .path("metadata").path("component").path("version").asText());
    assertThat(labels.path("org.opencontainers.image.source").asText()).startsWith("https://");
    assertThat(labels.path("org.opencontainers.image.revision").asText()).matches("[0-9a-f]{40}");
    assertThat(manifest.path("annotations")).isEqualTo(labels);
    assertThat(labels.path("io.migrationgate.image.base-packages").asText().split(","))
        .as("the base layer's Debian packages as taken, each with the SHA-256 of its .deb")
        .extracting(p -> p.replaceAll("=.*", "")).containsExactly("libc6", "libgcc-s1", "libstdc++6", "zlib1g");
    assertThat(labels.path("io.migrationgate.image.base-packages").asText().split(","))
        .allMatch(p -> p.matches("[a-z0-9+.-]+=[0-9a-z.:+~-]+@sha256:[0-9a-f]{64}"));
  }

  @Test
  void theRunnersClassDataArchiveMapsInTheImagesOwnRoot() throws Exception {
    // -Xshare:on refuses to start when the archive does not map, where the Jobs' default quietly goes without
    List<String> command = new ArrayList<>(List.of("unshare", "--map-root-user", "--root=" + rootfs,
        "/opt/java/bin/java", "-Xshare:on", "-XX:SharedArchiveFile=/app/migration-gate.jsa", "-Djava.io.tmpdir=/tmp",
        "-jar", "/app/migration-gate.jar", "plan", "--help"));
    assertThat(output(command, Map.of("LD_LIBRARY_PATH", "/opt/java/lib"))).contains("usage: migration-gate");
  }

  @Test
  void theKubeletsUnpackedImageHasAnArchiveForTheJarWhereItLies(@TempDir Path cache) throws Exception {
    UnpackedImage image = UnpackedImage.unpack(LAYOUT, cache);
    List<String> command = new ArrayList<>(List.of(image.host("/opt/java/bin/java"), "-Xshare:on",
        "-XX:SharedArchiveFile=" + image.host("/app/migration-gate.jsa"), "-jar", image.host("/app/migration-gate.jar"),
        "plan", "--help"));
    assertThat(output(command, Map.of("LD_LIBRARY_PATH", image.libraryPath()))).contains("usage: migration-gate");
    assertThat(UnpackedImage.unpack(LAYOUT, cache).rootfs()).as("unpacked once per image").isEqualTo(image.rootfs());
  }

  @Test
  void theSbomBesideItIsCycloneDxOfTheImagesComponents() throws Exception {
    JsonNode bom = JSON.readTree(REPO.resolve("operator/target/migration-gate.cdx.json").toFile());
    assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
    assertThat(bom.path("components").findValuesAsText("name")).contains("flyway-core", "kubernetes-client",
        "logback-classic");
    assertThat(bom.path("components").findValuesAsText("name")).doesNotContain("junit-jupiter-api");
    // what the image holds beside the jar: each base package as taken, and the Java runtime
    for (String taken : config.path("config").path("Labels").path("io.migrationgate.image.base-packages").asText()
        .split(",")) {
      String name = taken.substring(0, taken.indexOf('='));
      String version = taken.substring(taken.indexOf('=') + 1, taken.indexOf('@'));
      assertThat(bom.path("components")).as(taken).anySatisfy(c -> {
        assertThat(c.path("name").asText()).isEqualTo(name);
        assertThat(c.path("version").asText()).isEqualTo(version);
        assertThat(URLDecoder.decode(c.path("purl").asText(), StandardCharsets.UTF_8))
            .isEqualTo("pkg:deb/debian/" + name + "@" + version + "?arch=amd64&distro=debian-12");
        assertThat(c.path("hashes").get(0).path("content").asText())
            .isEqualTo(taken.substring(taken.indexOf("@sha256:") + "@sha256:".length()));
      });
    }
    String javaVersion = Files.readAllLines(rootfs.resolve("opt/java/release")).stream()
        .filter(l -> l.startsWith("JAVA_VERSION=")).findFirst().orElseThrow().replaceAll("JAVA_VERSION=|\"", "");
    assertThat(bom.path("components")).anySatisfy(c -> {
      assertThat(c.path("type").asText()).isEqualTo("platform");
      assertThat(c.path("version").asText()).as("the image's runtime").startsWith(javaVersion + "+");
    });
  }

  @Test
  void theUnpackedEntryPointStartsOnTheImagesOwnRuntimeAndCLibrary() throws Exception {
    assertThat(Files.isSymbolicLink(rootfs.resolve("lib64/ld-linux-x86-64.so.2")))
        .as("the C library's loader is a symbolic link, kept as such").isTrue();
    assertThat(rootfs.resolve("lib/x86_64-linux-gnu/libc.so.6")).exists();
    assertThat(rootfs.resolve("usr/lib/x86_64-linux-gnu/libstdc++.so.6")).exists();
    List<String> command = new ArrayList<>();
    for (String item : strings(config.path("config").path("Entrypoint"))) {
      command.add(item.startsWith("/") ? rootfs.resolve(item.substring(1)).toString() : item);
    }
    command.addAll(List.of("run", "--help"));
    assertThat(output(command, Map.of("LD_LIBRARY_PATH",
        rootfs.resolve("lib/x86_64-linux-gnu") + ":" + rootfs.resolve("usr/lib/x86_64-linux-gnu"))))
        .contains("usage: migration-gate run|plan");
  }

  /** What {@code command} printed; it must exit 0 within a minute. */
  static String output(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("JDK_JAVA_OPTIONS");
    builder.environment().remove("JAVA_HOME");
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  static List<String> strings(JsonNode array) {
    List<String> items = new ArrayList<>();
    array.forEach(item -> items.add(item.asText()));
    return items;
  }

  static Path path(JsonNode descriptor) {
    return LAYOUT.resolve("blobs/sha256").resolve(descriptor.path("digest").asText().substring("sha256:".length()));
  }

  /** The blob's content, after checking its size and digest against the descriptor. */
  static byte[] blob(JsonNode descriptor) throws IOException {
    Path path = path(descriptor);
    assertThat(Files.size(path)).as("size of " + path).isEqualTo(descriptor.path("size").asLong());
    try (InputStream in = Files.newInputStream(path)) {
      assertThat(sha256(in)).as("digest of " + path).isEqualTo(descriptor.path("digest").asText());
    }
    return Files.size(path) < (1 << 20) ? Files.readAllBytes(path) : new byte[0];
  }

  static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), sha));
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void run(Path dir, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
    assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
  }
}
