package io.migrationgate.localcluster;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Migration Gate operator as its own process ({@code java -jar migration-gate.jar operator}),
 * signed in through a kubeconfig, as a developer would run it. Tests kill it mid-flight.
 */
public final class OperatorProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorProcess.class);
  /** Longer than a clean shutdown needs (reconciles in flight get 30 s only when the API server stalls). */
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  /** The runner image the operator puts in its Jobs; the process kubelet maps it to the jar. */
  public static final String LOCAL_RUNNER_IMAGE = "migration-gate:local";

  private final List<String> jvmFlags;
  private final List<String> program;
  private final String name;
  private final Path kubeconfig;
  private final Path logDir;
  private final Map<String, String> extraEnv;
  // volatile, not guarded: a test kills the operator while another thread waits in start()
  private volatile Process process;
  private int starts;
  private int port;

  public OperatorProcess(Path jar, Path kubeconfig, Path logDir, Map<String, String> extraEnv) {
    // C1 only: the tests start many short-lived operators and care about start-up, not peak speed
    this(List.of("-XX:TieredStopAtLevel=1"), List.of("-jar", jar.toString(), "operator"), "operator", kubeconfig,
        logDir, extraEnv);
  }

  /**
   * Any controller program run the same way, with the same MG_* environment: {@code jvmFlags} go
   * before {@code program} ({@code -jar <jar> operator}, or {@code -cp <path> <main class>}); its
   * logs are {@code <name>-<n>.log}. The benchmark runs the operator with the image's JVM flags and
   * its own minimal controller beside it this way.
   */
  public OperatorProcess(List<String> jvmFlags, List<String> program, String name, Path kubeconfig, Path logDir,
      Map<String, String> extraEnv) {
    this.jvmFlags = List.copyOf(jvmFlags);
    this.program = List.copyOf(program);
    this.name = name;
    this.kubeconfig = kubeconfig;
    this.logDir = logDir;
    this.extraEnv = extraEnv;
  }

  /** Starts the operator and waits until its health endpoint answers. */
  public synchronized void start() throws IOException {
    start(Duration.ofSeconds(90));
  }

  /** Starts the operator; fails with its log's tail if it exits or is not ready within {@code timeout}. */
  public synchronized void start(Duration timeout) throws IOException {
    starts++;
    port = Processes.freePort();
    Path log = logDir.resolve(name + "-" + starts + ".log");
    List<String> command = new ArrayList<>();
    command.add(Processes.javaBinary());
    command.addAll(jvmFlags);
    command.addAll(program);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("MG_RUNNER_IMAGE", LOCAL_RUNNER_IMAGE);
    env.put("MG_PORT", String.valueOf(port));
    env.put("MG_RECHECK_INTERVAL", "5s");
    env.putAll(extraEnv);
    process = builder.start();
    awaitHealthy(log, timeout);
  }

  private void awaitHealthy(Path log, Duration timeout) {
    Processes.awaitHttpReady(process, name, URI.create("http://127.0.0.1:" + port + "/readyz"), "", log,
        timeout);
  }

  /** Kills the operator as a crash would (SIGKILL): no shutdown hook runs. */
  public void kill() {
    Process running = process;
    if (running != null) {
      running.destroyForcibly();
      try {
        running.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The port of /healthz, /readyz and /metrics of the current process (MG_PORT). */
  public int port() {
    return port;
  }

  /** The current process's id, for /proc and jcmd. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    Process running = process;
    return running != null && running.isAlive();
  }

  /** The exit code of the last process, once it has ended. */
  public int exitValue() {
    return process.exitValue();
  }

  /**
   * SIGTERM, as Kubernetes stops a pod; false when it did not exit within {@code grace} and had to
   * be killed (what Kubernetes does at the end of the grace period).
   */
  public boolean stop(Duration grace) {
    if (process == null) {
      return true;
    }
    boolean exited = terminate(grace);
    if (!exited) {
      LOG.warn("the operator did not exit within {} s of SIGTERM and was killed", grace.toSeconds());
      kill();
    }
    return exited;
  }

  /**
   * SIGTERM, as Kubernetes stops a pod, and waits up to {@code timeout}; false if the process is
   * still running then (it is left running, for the caller to judge and kill).
   */
  public synchronized boolean terminate(Duration timeout) {
    process.destroy();
    try {
      return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits up to {@code timeout} for the process to end by itself; its exit code, or empty if it still runs. */
  public synchronized java.util.OptionalInt awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
          ? java.util.OptionalInt.of(process.exitValue()) : java.util.OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.OptionalInt.empty();
    }
  }

  public static void requireJar(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("the operator jar " + jar + " is missing: build it with "
          + "./mvnw -B -pl operator -am package -DskipTests");
    }
  }

  @Override
  public void close() {
    stop(STOP_GRACE);
  }
}
