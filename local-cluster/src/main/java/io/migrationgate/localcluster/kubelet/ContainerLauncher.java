package io.migrationgate.localcluster.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one container of a pod becomes a local process, and what it leaves behind: its image mapped to
 * a local command, its mounts and termination-message path rewritten into the pod's directory, its
 * environment resolved as a kubelet would; after it exits, the termination message a kubelet reports.
 */
final class ContainerLauncher {

  /** A started container: the process and the command line it runs, for the kubelet's log. */
  record Started(Process process, List<String> command) {}

  private static final String TERMINATION_LOG = "/dev/termination-log";
  /** Where the ServiceAccount admission mounts a pod's token, CA certificate and namespace. */
  static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
  private static final int MAX_TERMINATION_MESSAGE = 4096;

  private final ProcessKubelet kubelet;
  private final Pod pod;
  private final Path podDir;

  ContainerLauncher(ProcessKubelet kubelet, Pod pod, Path podDir) {
    this.kubelet = kubelet;
    this.pod = pod;
    this.podDir = podDir;
  }

  /** Starts {@code container}; a {@link WaitingException} says why it cannot start yet. */
  Started start(Container container, PodVolumes volumes) throws WaitingException, IOException {
    ImageMappings.Mapped image = kubelet.images().resolve(container.getImage()).orElseThrow(() ->
        new WaitingException("ErrImagePull", "the process kubelet has no mapping for image \"" + container.getImage()
            + "\" (it runs only the migration-gate image, busybox and alpine: see local-cluster/README.md)"));
    Path containerDir = containerDir(container);
    Path terminationLog = containerDir.resolve("termination-log");
    Files.deleteIfExists(terminationLog);
    Files.createFile(terminationLog);
    Map<String, String> paths = new LinkedHashMap<>(image.pathRewrites());
    paths.putAll(volumes.mounts(container));
    String messagePath = container.getTerminationMessagePath() == null ? TERMINATION_LOG
        : container.getTerminationMessagePath();
    paths.put(messagePath, terminationLog.toString());
    PathRewriter rewriter = new PathRewriter(paths);

    Map<String, String> env = kubelet.sources().resolve(pod, container, rewriter);
    List<String> command = new ArrayList<>();
    boolean ownCommand = !container.getCommand().isEmpty();
    for (String part : ownCommand ? container.getCommand() : image.entrypoint()) {
      command.add(rewriter.rewrite(EnvResolver.expand(part, env)));
    }
    for (String arg : container.getArgs()) {
      command.add(rewriter.rewrite(EnvResolver.expand(arg, env)));
    }
    command.set(0, image.commandRewrites().getOrDefault(command.get(0), command.get(0)));

    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> processEnv = builder.environment();
    processEnv.clear();
    processEnv.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    processEnv.put("HOME", Files.createDirectories(containerDir.resolve("home")).toString());
    processEnv.put("HOSTNAME", pod.getMetadata().getName());
    processEnv.put("LANG", "C.UTF-8");
    processEnv.putAll(image.env());
    processEnv.putAll(kubelet.apiServerEnv());
    String serviceAccount = volumes.mounts(container).get(SERVICE_ACCOUNT_DIR);
    if (serviceAccount != null) {
      processEnv.putAll(serviceAccountFiles(Path.of(serviceAccount)));
    }
    processEnv.putAll(env);
    Path workDir = container.getWorkingDir() == null ? containerDir : Path.of(rewriter.rewrite(container.getWorkingDir()));
    builder.directory(Files.isDirectory(workDir) ? workDir.toFile() : containerDir.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return new Started(builder.start(), command);
  }

  /**
   * A Kubernetes client reads its token, the API server's CA and its namespace at
   * {@link #SERVICE_ACCOUNT_DIR}, a path a process cannot be given without a mount namespace. The
   * fabric8 client (the operator's) reads these variables first (its {@code Config} 7.5.2:
   * {@code kubernetes.auth.serviceAccount.token}, {@code kubernetes.certs.ca.file} and
   * {@code kubenamespace} as environment variables), so they point it at the pod's volume.
   */
  static Map<String, String> serviceAccountFiles(Path mounted) {
    return Map.of(
        "KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", mounted.resolve("token").toString(),
        "KUBERNETES_CERTS_CA_FILE", mounted.resolve("ca.crt").toString(),
        "KUBENAMESPACE", mounted.resolve("namespace").toString());
  }

  /**
   * What the container wrote to its termination-message path (at most 4 KiB, as a kubelet keeps),
   * or with {@code FallbackToLogsOnError} and a failed exit, the tail of its log.
   */
  String terminationMessage(Container container, int exit, ContainerLog log) {
    Path file = podDir.resolve("containers").resolve(container.getName()).resolve("termination-log");
    String message = "";
    try (InputStream in = Files.newInputStream(file)) {
      message = new String(in.readNBytes(MAX_TERMINATION_MESSAGE), StandardCharsets.UTF_8);
    } catch (IOException e) {
      // no file: no message
    }
    if (message.isEmpty() && exit != 0 && "FallbackToLogsOnError".equals(container.getTerminationMessagePolicy())) {
      message = log.fallbackMessage();
    }
    return message;
  }

  private Path containerDir(Container container) throws IOException {
    return Files.createDirectories(podDir.resolve("containers").resolve(container.getName()));
  }
}
