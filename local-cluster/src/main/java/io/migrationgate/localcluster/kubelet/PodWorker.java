package io.migrationgate.localcluster.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pod bound to this node: volumes, then init containers one by one, then the containers
 * as local processes; writes the pod status the Job controller reads. Deletion and
 * {@code activeDeadlineSeconds} stop the processes (SIGTERM, then SIGKILL after the grace period).
 */
final class PodWorker implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final ProcessKubelet kubelet;
  private final Pod pod;
  private final String key;
  private final Path dir;
  private final ContainerLauncher launcher;
  private final Map<String, ContainerRun> initRuns = new LinkedHashMap<>();
  private final Map<String, ContainerRun> runs = new LinkedHashMap<>();
  private final Map<String, Instant> transitions = new HashMap<>();
  private final Map<String, Boolean> conditionStatus = new HashMap<>();
  private final Instant startTime = Instant.now();
  private volatile String stopReason;
  private volatile long graceSeconds = 30;
  private volatile boolean finished;
  private String phase = "Pending";
  private String podReason;
  private String podMessage;
  private boolean volumesReady;
  private boolean initialized;

  PodWorker(ProcessKubelet kubelet, Pod pod, Path dir) throws IOException {
    this.kubelet = kubelet;
    this.pod = pod;
    this.key = ProcessKubelet.key(pod);
    this.dir = dir;
    this.launcher = new ContainerLauncher(kubelet, pod, dir);
    Path logs = Files.createDirectories(dir.resolve("logs"));
    for (Container c : pod.getSpec().getInitContainers()) {
      initRuns.put(c.getName(), new ContainerRun(c.getName(), c.getImage(),
          new ContainerLog(logs.resolve(c.getName() + ".log")), "PodInitializing"));
    }
    String firstReason = pod.getSpec().getInitContainers().isEmpty() ? "ContainerCreating" : "PodInitializing";
    for (Container c : pod.getSpec().getContainers()) {
      runs.put(c.getName(), new ContainerRun(c.getName(), c.getImage(),
          new ContainerLog(logs.resolve(c.getName() + ".log")), firstReason));
    }
  }

  /** The container's run (init or regular) for the log server. */
  ContainerRun container(String name) {
    ContainerRun run = runs.get(name);
    return run != null ? run : initRuns.get(name);
  }

  boolean isFinished() {
    return finished;
  }

  /** The pod is being deleted: stop its processes within {@code grace}. */
  void stop(String reason, long grace) {
    this.graceSeconds = Math.min(grace, 30);
    if (stopReason == null) {
      stopReason = reason;
    }
  }

  @Override
  public void run() {
    try {
      publish();
      PodVolumes volumes = awaitVolumes();
      if (volumes != null) {
        volumesReady = true;
        boolean ok = true;
        for (Container c : pod.getSpec().getInitContainers()) {
          ok = runToEnd(c, initRuns.get(c.getName()), volumes);
          if (!ok) {
            break;
          }
        }
        if (ok && stopReason == null) {
          initialized = true;
          List<Container> started = new ArrayList<>();
          for (Container c : pod.getSpec().getContainers()) {
            if (start(c, runs.get(c.getName()), volumes)) {
              started.add(c);
            }
          }
          publish();
          for (Container c : started) {
            await(c, runs.get(c.getName()));
          }
        }
      }
      finish();
    } catch (RuntimeException | IOException e) {
      LOG.error("pod {} failed in the process kubelet", key, e);
      podReason = "ProcessKubeletError";
      podMessage = e.toString();
      phase = "Failed";
      publishQuietly();
    } finally {
      runs.values().forEach(r -> r.log.close());
      initRuns.values().forEach(r -> r.log.close());
      finished = true;
      kubelet.podFinished(pod, stopReason != null && stopReason.equals("Deleted"));
    }
  }

  private PodVolumes awaitVolumes() throws IOException {
    while (true) {
      if (stopRequestedOrDeadline()) {
        return null;
      }
      try {
        return PodVolumes.materialize(pod, Files.createDirectories(dir.resolve("volumes")), kubelet.sources(),
            kubelet.client());
      } catch (WaitingException e) {
        waitAll(e.reason(), e.getMessage());
        sleep(RETRY);
      }
    }
  }

  private void waitAll(String reason, String message) {
    boolean changed = false;
    for (ContainerRun run : initRuns.values()) {
      changed |= run.waiting(reason, message);
    }
    for (ContainerRun run : runs.values()) {
      changed |= run.waiting(reason, message);
    }
    if (changed) {
      publishQuietly();
    }
  }

  private boolean runToEnd(Container container, ContainerRun run, PodVolumes volumes) {
    return start(container, run, volumes) && await(container, run) && run.succeeded();
  }

  /** Resolves, starts and reports one container; false when the pod was stopped first. */
  private boolean start(Container container, ContainerRun run, PodVolumes volumes) {
    while (true) {
      if (stopRequestedOrDeadline()) {
        return false;
      }
      try {
        launch(container, run, volumes);
        kubelet.readinessProbes().watch(key, container, run, this::publishQuietly);
        publishQuietly();
        return true;
      } catch (WaitingException e) {
        waiting(run, e.reason(), e.getMessage());
        sleep(RETRY);
      } catch (IOException e) {
        waiting(run, "RunContainerError", e.getMessage());
        sleep(RETRY);
      }
    }
  }

  /** Records why a container waits; the status is written only when that changes (retries are every second). */
  private void waiting(ContainerRun run, String reason, String message) {
    if (run.waiting(reason, message)) {
      LOG.info("pod {} container {}: {} {}", key, run.name, reason, message);
      publishQuietly();
    }
  }

  private void launch(Container container, ContainerRun run, PodVolumes volumes) throws WaitingException, IOException {
    ContainerLauncher.Started started = launcher.start(container, volumes);
    LOG.info("pod {} container {}: starting {}", key, container.getName(), started.command());
    Process process = started.process();
    run.running(process, Instant.now());
    run.log.pump(process.getInputStream(), "stdout", "log-" + key + "-" + container.getName() + "-out");
    run.log.pump(process.getErrorStream(), "stderr", "log-" + key + "-" + container.getName() + "-err");
  }

  /** Waits for the container's process; stops it on deletion or deadline. True when it ended by itself. */
  private boolean await(Container container, ContainerRun run) {
    Process process = run.process;
    boolean stoppedByUs = false;
    try {
      while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
        if (stopRequestedOrDeadline()) {
          stoppedByUs = true;
          LOG.info("pod {} container {}: stopping ({})", key, container.getName(), stopReason);
          process.descendants().forEach(ProcessHandle::destroy);
          process.destroy();
          if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
          }
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    int exit = waitExit(process);
    sleep(Duration.ofMillis(100)); // let the log pumps drain the pipes
    String message = launcher.terminationMessage(container, exit, run.log);
    run.terminated(exit, exit == 0 ? "Completed" : "Error", message, Instant.now());
    LOG.info("pod {} container {}: exited {}", key, container.getName(), exit);
    publishQuietly();
    return !stoppedByUs;
  }

  private static int waitExit(Process process) {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 137;
    }
  }

  private boolean stopRequestedOrDeadline() {
    Long deadline = pod.getSpec().getActiveDeadlineSeconds();
    if (stopReason == null && deadline != null && Instant.now().isAfter(startTime.plusSeconds(deadline))) {
      stopReason = "DeadlineExceeded";
      graceSeconds = Math.min(30, pod.getSpec().getTerminationGracePeriodSeconds() == null
          ? 30 : pod.getSpec().getTerminationGracePeriodSeconds());
    }
    return stopReason != null;
  }

  private void finish() {
    boolean allSucceeded = initRuns.values().stream().allMatch(ContainerRun::succeeded)
        && runs.values().stream().allMatch(ContainerRun::succeeded);
    if ("DeadlineExceeded".equals(stopReason)) {
      phase = "Failed";
      podReason = "DeadlineExceeded";
      podMessage = "Pod was active on the node longer than the specified deadline";
    } else {
      phase = allSucceeded && stopReason == null ? "Succeeded" : "Failed";
    }
    for (ContainerRun run : runs.values()) {
      if (!run.isTerminated() && !run.isRunning()) {
        run.waiting(initialized ? "ContainerCreating" : "PodInitializing", null);
      }
    }
    publishQuietly();
  }

  private void publishQuietly() {
    if (kubelet.closing()) {
      return; // on Ctrl-C the API server stops with the kubelet: a write would wait out the client's retries
    }
    try {
      publish();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.warn("pod {}: status update failed: {}", key, e.getMessage());
      }
    }
  }

  /** Writes the whole pod status (JSON merge patch of the status subresource). */
  private synchronized void publish() {
    boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
    if (!terminal && runs.values().stream().anyMatch(ContainerRun::isRunning)) {
      phase = "Running";
    }
    List<String> unready = runs.values().stream().filter(r -> !r.isReady()).map(r -> r.name).toList();
    List<String> uninitialized = initRuns.values().stream().filter(r -> !r.succeeded()).map(r -> r.name).toList();
    List<PodCondition> conditions = List.of(
        condition("PodReadyToStartContainers", volumesReady && !terminal, null, null),
        condition("Initialized", initialized || uninitialized.isEmpty(),
            "ContainersNotInitialized", "containers with incomplete status: " + uninitialized),
        condition("Ready", unready.isEmpty(), terminal ? "PodCompleted" : "ContainersNotReady",
            terminal ? null : "containers with unready status: " + unready),
        condition("ContainersReady", unready.isEmpty(), terminal ? "PodCompleted" : "ContainersNotReady",
            terminal ? null : "containers with unready status: " + unready),
        condition("PodScheduled", true, null, null));
    PodStatus status = new PodStatusBuilder()
        .withPhase(phase)
        .withReason(podReason)
        .withMessage(podMessage)
        .withConditions(conditions)
        .withHostIP("127.0.0.1")
        .withHostIPs(new io.fabric8.kubernetes.api.model.HostIPBuilder().withIp("127.0.0.1").build())
        .withPodIP("127.0.0.1")
        .withPodIPs(new PodIPBuilder().withIp("127.0.0.1").build())
        .withStartTime(ProcessKubelet.time(startTime))
        .withInitContainerStatuses(initRuns.values().stream().map(ContainerRun::status).collect(Collectors.toList()))
        .withContainerStatuses(runs.values().stream().map(ContainerRun::status).collect(Collectors.toList()))
        .build();
    Map<String, Object> patch = new LinkedHashMap<>();
    Map<String, Object> statusMap = Serialization.jsonMapper().convertValue(status, Map.class);
    statusMap.putIfAbsent("reason", null);
    statusMap.putIfAbsent("message", null);
    patch.put("status", statusMap);
    kubelet.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
  }

  private PodCondition condition(String type, boolean value, String reason, String message) {
    Boolean previous = conditionStatus.put(type, value);
    if (previous == null || previous != value) {
      transitions.put(type, Instant.now());
    }
    return new PodConditionBuilder().withType(type).withStatus(value ? "True" : "False")
        .withReason(value ? null : reason).withMessage(value ? null : message)
        .withLastTransitionTime(ProcessKubelet.time(transitions.get(type))).build();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
