package io.migrationgate.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the image of {@link ImageSpec} as an OCI image layout, without a container engine:
 * {@code java ImageBuilder JAR OUTPUT_DIR VERSION SOURCE}. Three layers: the Debian packages
 * (fetched once into {@code ~/.cache/migration-gate/debs}, each checked against its SHA-256 before
 * use), a {@code jlink} runtime of the build's JDK, and the jar with the non-root user. Layers are
 * made by GNU tar with sorted names, owner 0 and time 0, so that the same inputs give the same
 * digests, and symbolic links (the C library's loader is one) are kept as they are.
 */
public final class ImageBuilder {

  static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
  static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private record Blob(String digest, long size) {
  }

  private record Layer(Blob blob, String diffId) {
  }

  private ImageBuilder() {
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 4) {
      throw new IllegalArgumentException("usage: ImageBuilder JAR OUTPUT_DIR VERSION SOURCE");
    }
    Path jar = Path.of(args[0]);
    Path out = Path.of(args[1]);
    String version = args[2];
    String source = args[3];
    Path work = out.resolveSibling(out.getFileName() + "-work");
    deleteTree(out);
    deleteTree(work);
    Files.createDirectories(out.resolve("blobs/sha256"));

    Path base = work.resolve("base");
    Files.createDirectories(base);
    Path debs = Path.of(System.getProperty("user.home"), ".cache/migration-gate/debs");
    for (ImageSpec.DebianPackage pkg : ImageSpec.BASE_PACKAGES) {
      run(base, "dpkg-deb", "-x", checkedDeb(debs, pkg).toString(), ".");
    }
    deleteTree(base.resolve("usr/share"));

    Path runtime = work.resolve("runtime");
    Files.createDirectories(runtime.resolve(ImageSpec.JAVA_HOME.substring(1)).getParent());
    run(work, Path.of(System.getProperty("java.home"), "bin", "jlink").toString(),
        "--add-modules", String.join(",", ImageSpec.JAVA_MODULES), "--strip-debug", "--no-header-files",
        "--no-man-pages", "--output", runtime.resolve(ImageSpec.JAVA_HOME.substring(1)).toString());

    Path app = work.resolve("app");
    Files.createDirectories(app.resolve("app"));
    Files.copy(jar, app.resolve(ImageSpec.JAR.substring(1)), StandardCopyOption.COPY_ATTRIBUTES);
    Files.createDirectories(app.resolve("etc"));
    Files.writeString(app.resolve("etc/passwd"), "root:x:0:0:root:/root:/sbin/nologin\n"
        + "nonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin\n");
    Files.writeString(app.resolve("etc/group"), "root:x:0:\nnonroot:x:65532:\n");
    Files.createDirectories(app.resolve("tmp"));
    run(app, "chmod", "1777", "tmp");

    List<Layer> layers = List.of(layer(base, work, out), layer(runtime, work, out), layer(app, work, out));
    Blob config = writeBlob(out, JSON.writeValueAsBytes(config(layers, version, source)));

    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MANIFEST_TYPE);
    manifest.put("config", descriptor(CONFIG_TYPE, config));
    manifest.put("layers", layers.stream().map(l -> descriptor(LAYER_TYPE, l.blob())).toList());
    manifest.put("annotations", labels(version, source));
    Blob manifestBlob = writeBlob(out, JSON.writeValueAsBytes(manifest));

    Map<String, Object> entry = descriptor(MANIFEST_TYPE, manifestBlob);
    entry.put("annotations", Map.of("org.opencontainers.image.ref.name", version));
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", "application/vnd.oci.image.index.v1+json");
    index.put("manifests", List.of(entry));
    JSON.writeValue(out.resolve("index.json").toFile(), index);
    Files.writeString(out.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    deleteTree(work);
    System.out.printf("image %s: %s (manifest %s)%n", version, out, manifestBlob.digest());
  }

  static Map<String, String> labels(String version, String source) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("org.opencontainers.image.title", "migration-gate");
    labels.put("org.opencontainers.image.source", source);
    labels.put("org.opencontainers.image.version", version);
    labels.put("org.opencontainers.image.revision", revision());
    labels.put("org.opencontainers.image.licenses", ImageSpec.LICENSE);
    return labels;
  }

  private static Map<String, Object> config(List<Layer> layers, String version, String source) {
    Map<String, Object> runConfig = new LinkedHashMap<>();
    runConfig.put("User", ImageSpec.USER);
    runConfig.put("Env", ImageSpec.ENV);
    runConfig.put("Entrypoint", ImageSpec.entrypoint());
    runConfig.put("WorkingDir", ImageSpec.WORKING_DIR);
    runConfig.put("Labels", labels(version, source));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("architecture", "amd64");
    config.put("os", "linux");
    config.put("config", runConfig);
    config.put("rootfs", Map.of("type", "layers", "diff_ids", layers.stream().map(Layer::diffId).toList()));
    return config;
  }

  private static Map<String, Object> descriptor(String mediaType, Blob blob) {
    Map<String, Object> descriptor = new LinkedHashMap<>();
    descriptor.put("mediaType", mediaType);
    descriptor.put("digest", blob.digest());
    descriptor.put("size", blob.size());
    return descriptor;
  }

  /** The .deb in the cache, fetched with apt-get the first time, refused unless its SHA-256 is the pinned one. */
  private static Path checkedDeb(Path cache, ImageSpec.DebianPackage pkg) throws IOException, InterruptedException {
    Path deb = cache.resolve(pkg.fileName());
    if (!Files.exists(deb)) {
      Files.createDirectories(cache);
      try {
        run(cache, "apt-get", "download", pkg.name() + "=" + pkg.version());
      } catch (IllegalStateException | IOException e) {
        throw new IllegalStateException("could not fetch the image's base package " + pkg.name() + " " + pkg.version()
            + " (" + e.getMessage() + "): on Debian 12 run apt-get update first, elsewhere put " + pkg.fileName()
            + " (SHA-256 " + pkg.sha256() + ") into " + cache, e);
      }
    }
    String actual;
    try (InputStream in = Files.newInputStream(deb)) {
      MessageDigest sha = sha256();
      in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), sha));
      actual = HexFormat.of().formatHex(sha.digest());
    }
    if (!actual.equals(pkg.sha256())) {
      throw new IllegalStateException(deb + " has SHA-256 " + actual + ", ImageSpec pins " + pkg.sha256()
          + ": delete the file to fetch it again, or pin the new package in ImageSpec after checking it");
    }
    return deb;
  }

  private static Layer layer(Path dir, Path work, Path out) throws IOException, InterruptedException {
    Path tar = work.resolve(dir.getFileName() + ".tar");
    List<String> command = new ArrayList<>(List.of("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0",
        "--numeric-owner", "--format=gnu", "-cf", tar.toString()));
    try (Stream<Path> top = Files.list(dir)) {
      top.map(p -> p.getFileName().toString()).sorted().forEach(command::add);
    }
    run(dir, command.toArray(String[]::new));
    MessageDigest diff = sha256();
    MessageDigest blob = sha256();
    Path gz = work.resolve(dir.getFileName() + ".tar.gz");
    try (InputStream in = Files.newInputStream(tar);
        OutputStream file = new DigestOutputStream(Files.newOutputStream(gz), blob);
        OutputStream zip = new DigestOutputStream(new GZIPOutputStream(file, 1 << 16), diff)) {
      in.transferTo(zip);
    }
    String digest = "sha256:" + HexFormat.of().formatHex(blob.digest());
    Files.move(gz, out.resolve("blobs/sha256").resolve(digest.substring(7)));
    return new Layer(new Blob(digest, Files.size(out.resolve("blobs/sha256").resolve(digest.substring(7)))),
        "sha256:" + HexFormat.of().formatHex(diff.digest()));
  }

  private static Blob writeBlob(Path out, byte[] content) throws IOException {
    String digest = "sha256:" + HexFormat.of().formatHex(sha256().digest(content));
    Files.write(out.resolve("blobs/sha256").resolve(digest.substring(7)), content);
    return new Blob(digest, content.length);
  }

  private static String revision() {
    try {
      Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
      String head = new String(git.getInputStream().readAllBytes()).trim();
      return git.waitFor() == 0 ? head : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static void run(Path dir, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + process.exitValue()
          + " in " + dir);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
