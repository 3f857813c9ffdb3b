package io.migrationgate.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
  /** The base layer's Debian packages as taken, {@code name=version@sha256:...}, comma-separated. */
  static final String BASE_LABEL = "io.migrationgate.image.base-packages";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private record Blob(String digest, long size) {
  }

  private record Layer(Blob blob, String diffId) {
  }

  /** A package of the base layer as taken: the pinned one, or what Debian serves instead. */
  record BasePackage(Path deb, String name, String version, String sha256) {
    String label() {
      return name + "=" + version + "@sha256:" + sha256;
    }
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
    List<BasePackage> basePackages = new ArrayList<>();
    for (ImageSpec.DebianPackage pkg : ImageSpec.BASE_PACKAGES) {
      BasePackage taken = checkedDeb(debs, pkg);
      run(base, "dpkg-deb", "-x", taken.deb().toString(), ".");
      basePackages.add(taken);
    }
    deleteTree(base.resolve("usr/share"));
    String baseLabel = String.join(",", basePackages.stream().map(BasePackage::label).toList());

    Path runtime = work.resolve("runtime");
    Files.createDirectories(runtime.resolve(ImageSpec.JAVA_HOME.substring(1)).getParent());
    // --generate-cds-archive: the JDK's own classes pre-parsed, for the operator's start
    run(work, Path.of(System.getProperty("java.home"), "bin", "jlink").toString(),
        "--add-modules", String.join(",", ImageSpec.JAVA_MODULES), "--strip-debug", "--no-header-files",
        "--no-man-pages", "--generate-cds-archive", "--output",
        runtime.resolve(ImageSpec.JAVA_HOME.substring(1)).toString());

    Path app = work.resolve("app");
    Files.createDirectories(app.resolve("app"));
    Files.copy(jar, app.resolve(ImageSpec.JAR.substring(1)));
    // the layer's time for every file: the archive records the jar's time and refuses another
    Files.setLastModifiedTime(app.resolve(ImageSpec.JAR.substring(1)), FileTime.fromMillis(0));
    Files.copy(jar.resolveSibling("migration-gate.classlist"), app.resolve(ImageSpec.CLASS_LIST.substring(1)));
    Files.createDirectories(app.resolve("etc"));
    Files.writeString(app.resolve("etc/passwd"), "root:x:0:0:root:/root:/sbin/nologin\n"
        + "nonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin\n");
    Files.writeString(app.resolve("etc/group"), "root:x:0:\nnonroot:x:65532:\n");
    Files.createDirectories(app.resolve("tmp"));
    run(app, "chmod", "1777", "tmp");
    dumpClassDataArchive(work, List.of(base, runtime, app), app);

    List<Layer> layers = List.of(layer(base, work, out), layer(runtime, work, out), layer(app, work, out));
    Blob config = writeBlob(out, JSON.writeValueAsBytes(config(layers, version, source, baseLabel)));

    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MANIFEST_TYPE);
    manifest.put("config", descriptor(CONFIG_TYPE, config));
    manifest.put("layers", layers.stream().map(l -> descriptor(LAYER_TYPE, l.blob())).toList());
    manifest.put("annotations", labels(version, source, baseLabel));
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
    addToBillOfMaterials(jar.resolveSibling("migration-gate.cdx.json"), basePackages);
    System.out.printf("image %s: %s (manifest %s)%n", version, out, manifestBlob.digest());
  }

  /**
   * The runner's class-data archive ({@code RunnerJvm}'s {@code -XX:SharedArchiveFile}), dumped by
   * the image's own java from the class list the build recorded. An archive maps only into the JVM
   * build that wrote it and only for the jar at the path it was dumped with, so the dump runs in the
   * image's file system with the jar at {@code /app}: a new root ({@code unshare --root}) in a user
   * namespace, which needs no privilege where unprivileged user namespaces are allowed.
   */
  private static void dumpClassDataArchive(Path work, List<Path> layerDirs, Path app)
      throws IOException, InterruptedException {
    Path rootfs = work.resolve("rootfs");
    Files.createDirectories(rootfs);
    for (Path dir : layerDirs) {
      run(work, "cp", "-a", dir + "/.", rootfs.toString());
    }
    // no /proc in the new root, so the loader cannot find the launcher's libraries from $ORIGIN
    ProcessBuilder dump = new ProcessBuilder("unshare", "--map-root-user", "--root=" + rootfs,
        ImageSpec.JAVA_HOME + "/bin/java", "-Xshare:dump", "-XX:SharedClassListFile=" + ImageSpec.CLASS_LIST,
        "-XX:SharedArchiveFile=" + ImageSpec.CLASS_DATA_ARCHIVE, "-cp", ImageSpec.JAR)
        .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("dump.log").toFile());
    dump.environment().clear();
    dump.environment().put("LD_LIBRARY_PATH", ImageSpec.JAVA_HOME + "/lib");
    if (dump.start().waitFor() != 0) {
      throw new IllegalStateException("could not dump the image's class-data archive with the image's java in its"
          + " own root (unshare --map-root-user --root): it needs util-linux's unshare and user namespaces (as root,"
          + " or sysctl kernel.unprivileged_userns_clone=1); its output:\n" + Files.readString(work.resolve("dump.log")));
    }
    Files.copy(rootfs.resolve(ImageSpec.CLASS_DATA_ARCHIVE.substring(1)),
        app.resolve(ImageSpec.CLASS_DATA_ARCHIVE.substring(1)));
    deleteTree(rootfs);
  }

  /**
   * Adds what the image holds beside the jar to the bill of materials the build wrote for the jar:
   * the base layer's Debian packages (package URL and the SHA-256 of the {@code .deb} as taken) and
   * the Java runtime, so that a scanner of the SBOM sees the C library too.
   */
  private static void addToBillOfMaterials(Path sbom, List<BasePackage> basePackages) throws IOException {
    if (!Files.exists(sbom)) {
      throw new IllegalStateException("no bill of materials at " + sbom + ": the cyclonedx-maven-plugin writes it"
          + " before the image in the package phase (operator/pom.xml)");
    }
    ObjectNode bom = (ObjectNode) JSON.readTree(sbom.toFile());
    ArrayNode components = bom.withArray("components");
    for (BasePackage pkg : basePackages) {
      String purl = "pkg:deb/debian/" + URLEncoder.encode(pkg.name(), StandardCharsets.UTF_8) + "@"
          + URLEncoder.encode(pkg.version(), StandardCharsets.UTF_8)
          + "?arch=amd64&distro=debian-12";
      ObjectNode component = components.addObject().put("type", "library").put("bom-ref", purl)
          .put("name", pkg.name()).put("version", pkg.version()).put("purl", purl);
      component.putArray("hashes").addObject().put("alg", "SHA-256").put("content", pkg.sha256());
    }
    components.addObject().put("type", "platform").put("bom-ref", "java-runtime").put("name", "java-runtime")
        .put("version", System.getProperty("java.runtime.version"))
        .put("description", "jlink runtime at " + ImageSpec.JAVA_HOME + " of " + System.getProperty("java.vendor")
            + " " + System.getProperty("java.runtime.version") + ", modules " + String.join(",", ImageSpec.JAVA_MODULES));
    JSON.writeValue(sbom.toFile(), bom);
  }

  static Map<String, String> labels(String version, String source, String base) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("org.opencontainers.image.title", "migration-gate");
    labels.put("org.opencontainers.image.source", source);
    labels.put("org.opencontainers.image.version", version);
    labels.put("org.opencontainers.image.revision", revision());
    labels.put("org.opencontainers.image.licenses", ImageSpec.LICENSE);
    labels.put(BASE_LABEL, base);
    return labels;
  }

  private static Map<String, Object> config(List<Layer> layers, String version, String source, String base) {
    Map<String, Object> runConfig = new LinkedHashMap<>();
    runConfig.put("User", ImageSpec.USER);
    runConfig.put("Env", ImageSpec.ENV);
    runConfig.put("Entrypoint", ImageSpec.entrypoint());
    runConfig.put("WorkingDir", ImageSpec.WORKING_DIR);
    runConfig.put("Labels", labels(version, source, base));
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

  /**
   * The .deb of {@code pkg} in the cache, fetched with apt-get the first time and refused unless its
   * SHA-256 is the pinned one. When Debian no longer serves the pinned version (a security update
   * replaced it), the version apt offers now is taken instead, with a warning to move the pin: apt
   * has checked it against Debian's signed index, so only the byte-for-byte repeatability is lost,
   * and the image's {@link #BASE_LABEL} says which packages it holds.
   */
  static BasePackage checkedDeb(Path cache, ImageSpec.DebianPackage pkg)
      throws IOException, InterruptedException {
    Files.createDirectories(cache);
    Path deb = cache.resolve(pkg.fileName());
    if (!Files.exists(deb) && !download(cache, pkg.name() + "=" + pkg.version())) {
      return servedInstead(cache, pkg);
    }
    String actual = sha256Of(deb);
    if (!actual.equals(pkg.sha256())) {
      throw new IllegalStateException(deb + " has SHA-256 " + actual + ", ImageSpec pins " + pkg.sha256()
          + ": delete the file to fetch it again, or pin the new package in ImageSpec after checking it");
    }
    return new BasePackage(deb, pkg.name(), pkg.version(), actual);
  }

  private static BasePackage servedInstead(Path cache, ImageSpec.DebianPackage pkg)
      throws IOException, InterruptedException {
    Path fresh = Files.createTempDirectory(cache, pkg.name() + "-");
    if (!download(fresh, pkg.name())) {
      throw new IllegalStateException("could not fetch the image's base package " + pkg.name() + " (pinned "
          + pkg.version() + ", nor the version apt offers): on Debian 12 run apt-get update first, elsewhere put "
          + pkg.fileName() + " (SHA-256 " + pkg.sha256() + ") into " + cache);
    }
    Path deb;
    try (Stream<Path> files = Files.list(fresh)) {
      deb = files.findFirst().orElseThrow();
    }
    String version = deb.getFileName().toString().split("_")[1].replace("%3a", ":");
    String sha = sha256Of(deb);
    System.err.printf("WARNING: the image's base package %s %s is no longer served; using %s (SHA-256 %s)."
        + " Pin it in ImageSpec.BASE_PACKAGES.%n", pkg.name(), pkg.version(), version, sha);
    return new BasePackage(deb, pkg.name(), version, sha);
  }

  private static boolean download(Path dir, String what) throws IOException, InterruptedException {
    Process apt = new ProcessBuilder("apt-get", "download", what).directory(dir.toFile()).inheritIO().start();
    return apt.waitFor() == 0;
  }

  private static String sha256Of(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest sha = sha256();
      in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), sha));
      return HexFormat.of().formatHex(sha.digest());
    }
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
