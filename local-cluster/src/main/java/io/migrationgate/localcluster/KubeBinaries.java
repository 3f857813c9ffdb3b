package io.migrationgate.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The etcd, kube-apiserver, kube-controller-manager, kubectl and helm that {@code local-cluster/kube-binaries.sh}
 * builds into fabric8 kube-api-test's offline layout ({@code <base>/k8s/<version>-linux-<arch>/}).
 */
public record KubeBinaries(Path baseDir, Path versionDir, String version) {

  public static final String DEFAULT_VERSION = "1.36.3";
  static final List<String> REQUIRED = List.of("etcd", "kube-apiserver", "kube-controller-manager", "kubectl", "helm");

  /** Finds the binaries or fails with the command that builds them. */
  public static KubeBinaries locate(Map<String, String> env) {
    Path base = Path.of(env.getOrDefault("KUBE_API_TEST_DIR",
        Path.of(System.getProperty("user.home"), ".kubeapitest").toString()));
    String wanted = env.getOrDefault("KUBE_API_TEST_API_SERVER_VERSION", DEFAULT_VERSION);
    String suffix = locateSuffix();
    if (wanted.endsWith("*")) {
      wanted = newest(base.resolve("k8s"), wanted.substring(0, wanted.length() - 1), suffix).orElse(wanted);
    }
    Path dir = base.resolve("k8s").resolve(wanted + suffix);
    for (String name : REQUIRED) {
      if (!Files.isExecutable(dir.resolve(name))) {
        throw new IllegalStateException("Kubernetes binaries missing: " + dir.resolve(name)
            + " is not there. Build them once (about 6 minutes, needs Go 1.25+): "
            + (wanted.equals(DEFAULT_VERSION) ? "" : "K8S_VERSION=" + wanted + " ")
            + "bash local-cluster/kube-binaries.sh" + installedHint(base.resolve("k8s"), suffix));
      }
    }
    return new KubeBinaries(base, dir, wanted);
  }

  /** kube-api-test's platform suffix, e.g. {@code -linux-amd64}. */
  static String locateSuffix() {
    return "-linux-" + arch();
  }

  public Path binary(String name) {
    return versionDir.resolve(name);
  }

  public Path kubectl() {
    return binary("kubectl");
  }

  /** The newest installed version starting with {@code prefix}, as kube-api-test picks "1.36.*". */
  private static java.util.Optional<String> newest(Path k8s, String prefix, String suffix) {
    if (!Files.isDirectory(k8s)) {
      return java.util.Optional.empty();
    }
    try (Stream<Path> dirs = Files.list(k8s)) {
      return dirs.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(suffix) && n.startsWith(prefix))
          .map(n -> n.substring(0, n.length() - suffix.length()))
          .filter(v -> v.matches("\\d+(\\.\\d+)*"))
          .max(Comparator.comparing(v -> java.util.Arrays.stream(v.split("\\.")).mapToInt(Integer::parseInt).toArray(),
              java.util.Arrays::compare));
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  private static String installedHint(Path k8s, String suffix) {
    if (!Files.isDirectory(k8s)) {
      return "";
    }
    try (Stream<Path> dirs = Files.list(k8s)) {
      List<String> found = dirs.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix))
          .sorted(Comparator.reverseOrder()).toList();
      return found.isEmpty() ? "" : " (found " + found + "; set KUBE_API_TEST_API_SERVER_VERSION to use one)";
    } catch (IOException e) {
      return "";
    }
  }

  private static String arch() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
  }
}
