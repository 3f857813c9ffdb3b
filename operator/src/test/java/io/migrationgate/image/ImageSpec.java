package io.migrationgate.image;

import io.migrationgate.contract.RunnerJvm;
import java.util.ArrayList;
import java.util.List;

/**
 * The one definition of the Migration Gate image that {@code package} writes as an OCI image layout
 * ({@link ImageBuilder}, {@code operator/target/image}): its base packages pinned by version and
 * SHA-256, the modules of its Java runtime, its user, entry point and JVM flags. The Dockerfile
 * repeats the JVM flags for those who build with a container engine (and the operator benchmark
 * reads them there); BuiltImageIT (local-cluster) keeps the two equal.
 */
public final class ImageSpec {

  /** A Debian 12 package of the base layer, pinned by version and the SHA-256 of its .deb file. */
  public record DebianPackage(String name, String version, String sha256) {
    String fileName() {
      return name + "_" + version.replace(":", "%3a") + "_amd64.deb";
    }
  }

  /**
   * What the runtime's native code links against (ldd of libjvm.so, libzip.so, libnet.so, libnio.so):
   * the C library with its loader, the C++ runtime HotSpot is written in, and zlib for jars.
   */
  public static final List<DebianPackage> BASE_PACKAGES = List.of(
      new DebianPackage("libc6", "2.36-9+deb12u14",
          "ba4f88f73dbc3ae9055f3c20f4523bfdbaf1ad13ff95e258924f77d20b4fbedf"),
      new DebianPackage("libgcc-s1", "12.2.0-14+deb12u1",
          "3016e62cb4b7cd8038822870601f5ed131befe942774d0f745622cc77d8a88f7"),
      new DebianPackage("libstdc++6", "12.2.0-14+deb12u1",
          "5cd3171216d4ab0fc911cfe9c35509bf2dd8f47761c43b7f6a4296701551a24d"),
      new DebianPackage("zlib1g", "1:1.2.13.dfsg-1+deb12u1",
          "ad9f1ea0537a32c9eaecc619563a9db596a5dee33afce8393b1083f22d301e1d"));

  /**
   * The Java modules of the image's runtime ({@code jlink} of the build's JDK): what
   * {@code jdeps --print-module-deps} finds in the shaded jar, plus the elliptic-curve TLS suites
   * the API server offers, which are looked up by name and so invisible to jdeps.
   */
  public static final List<String> JAVA_MODULES = List.of("java.base", "java.compiler", "java.desktop",
      "java.naming", "java.net.http", "java.security.jgss", "java.sql", "jdk.httpserver", "jdk.management",
      "jdk.net", "jdk.unsupported", "jdk.crypto.ec");

  public static final String JAVA_HOME = "/opt/java";
  public static final String JAR = "/app/migration-gate.jar";
  /** The classes the runner's programs load, recorded by the build (RunnerClassDataArchive). */
  public static final String CLASS_LIST = "/app/migration-gate.classlist";
  /** Dumped from {@link #CLASS_LIST} by the image's own java for the jar at {@link #JAR}. */
  public static final String CLASS_DATA_ARCHIVE = RunnerJvm.CLASS_DATA_ARCHIVE;
  /** Numeric and non-root, so runAsNonRoot can verify it without a passwd lookup. */
  public static final String USER = "65532:65532";
  public static final String WORKING_DIR = "/tmp";
  public static final String LICENSE = "Apache-2.0";

  /**
   * JVM flags of the operator, each measured (docs/benchmarks.md, "Operator"). The runner's Jobs
   * replace the entry point with their own command (RunnerJvm).
   * -Djava.io.tmpdir=/tmp: the only writable path under a read-only root filesystem (emptyDir).
   * -XX:-UsePerfData: no hsperfdata file, nothing for the JVM itself to write.
   * -XX:MaxRAMPercentage=65: heap from the container's memory limit, leaving 95-110 MiB measured
   *   for what is not heap.
   * -XX:+UseSerialGC: a small heap on a fraction of a core (G1's own structures took 38 MiB).
   * -XX:TieredStopAtLevel=1: the operator waits on the API server; the client compiler alone cut
   *   the idle resident set from 147 to 120 MiB and start-up to ready to 1.7-2.2 s.
   * -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30: give the heap back after a burst.
   * -XX:MaxNewSize=8m: a young generation that is all resident stays small.
   * -XX:+ExitOnOutOfMemoryError: a broken JVM must end the Pod, not linger half alive.
   */
  public static final List<String> JVM_FLAGS = List.of("-Djava.io.tmpdir=/tmp", "-XX:-UsePerfData",
      "-XX:MaxRAMPercentage=65", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:MinHeapFreeRatio=10",
      "-XX:MaxHeapFreeRatio=30", "-XX:MaxNewSize=8m", "-XX:+ExitOnOutOfMemoryError");

  /** PATH holds the runtime so that the runner Jobs' command {@code java} resolves. */
  public static final List<String> ENV = List.of("PATH=" + JAVA_HOME + "/bin:/usr/bin:/bin",
      "JAVA_HOME=" + JAVA_HOME, "HOME=/tmp");

  private ImageSpec() {
  }

  public static List<String> entrypoint() {
    List<String> entrypoint = new ArrayList<>();
    entrypoint.add(JAVA_HOME + "/bin/java");
    entrypoint.addAll(JVM_FLAGS);
    entrypoint.add("-jar");
    entrypoint.add(JAR);
    return List.copyOf(entrypoint);
  }
}
