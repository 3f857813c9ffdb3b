package io.migrationgate.localcluster.kubelet;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.migrationgate.localcluster.KubeletTls;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kubelet whose containers are local processes. It registers one Ready Node, binds pending pods
 * that have no node to it (there is no scheduler), runs each pod's containers as processes (see
 * {@link PodWorker}) and serves their logs to the API server. No isolation of any kind: a container
 * is a process of the user running the kubelet, with the host's file system and network.
 */
public final class ProcessKubelet implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessKubelet.class);
  public static final String DEFAULT_NODE_NAME = "process-kubelet";

  private final KubernetesClient client;
  private final String nodeName;
  private final Path workDir;
  private final ImageMappings images;
  private final EnvResolver sources;
  private final LogServer logServer;
  /** namespace/name -> the pod's worker, kept after the pod ends so that its logs can be read. */
  private final Map<String, PodWorker> pods = new ConcurrentHashMap<>();
  private final Map<String, String> podUids = new ConcurrentHashMap<>();
  private final ExecutorService events = Executors.newSingleThreadExecutor(r -> daemon(r, "kubelet-events"));
  private final ReadinessProbes readinessProbes = new ReadinessProbes();
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> daemon(r, "kubelet-pod"));
  private SharedIndexInformer<Pod> informer;
  private volatile boolean closing;

  public ProcessKubelet(KubernetesClient client, String nodeName, Path workDir, ImageMappings images,
      KubeletTls tls, Path apiServerClientCertificate) throws IOException {
    this.client = client;
    this.nodeName = nodeName;
    this.workDir = Files.createDirectories(workDir);
    this.images = images;
    this.sources = new EnvResolver(client);
    try {
      this.logServer = new LogServer(tls.keyStore(), tls.password(), apiServerClientCertificate, pods);
    } catch (GeneralSecurityException e) {
      throw new IOException("kubelet TLS setup failed: " + e.getMessage(), e);
    }
  }

  public void start() {
    logServer.start();
    registerNode();
    informer = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        events.execute(() -> sync(pod));
      }

      @Override
      public void onUpdate(Pod oldPod, Pod pod) {
        events.execute(() -> sync(pod));
      }

      @Override
      public void onDelete(Pod pod, boolean unknownFinalState) {
        events.execute(() -> deleted(pod));
      }
    }, 30_000);
    LOG.info("process kubelet {} ready; logs on https://127.0.0.1:{}", nodeName, logServer.port());
  }

  private void registerNode() {
    long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
    Map<String, Quantity> capacity = Map.of(
        "cpu", new Quantity(String.valueOf(Runtime.getRuntime().availableProcessors())),
        "memory", new Quantity(String.valueOf(memory)),
        "pods", new Quantity("110"),
        "ephemeral-storage", new Quantity("10Gi"));
    String now = time(Instant.now());
    Node node = new NodeBuilder()
        .withNewMetadata().withName(nodeName)
          .addToLabels("kubernetes.io/hostname", nodeName)
          .addToLabels("kubernetes.io/os", "linux")
          .addToLabels("kubernetes.io/arch", "amd64".equals(System.getProperty("os.arch")) ? "amd64" : "arm64")
          .addToLabels("node.migrationgate.io/process-kubelet", "true")
        .endMetadata()
        .withNewStatus()
          .withCapacity(capacity)
          .withAllocatable(capacity)
          .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
          .addNewAddress().withType("Hostname").withAddress(nodeName).endAddress()
          .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(logServer.port()).endKubeletEndpoint()
          .endDaemonEndpoints()
          .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
            .withMessage("process kubelet is posting ready status").withLastHeartbeatTime(now)
            .withLastTransitionTime(now).endCondition()
          .withNewNodeInfo().withOperatingSystem("linux").withArchitecture(System.getProperty("os.arch"))
            .withKubeletVersion("v1.36.3-process").withContainerRuntimeVersion("process://local")
            .withOsImage(System.getProperty("os.name") + " " + System.getProperty("os.version"))
            .withKernelVersion(System.getProperty("os.version")).withMachineID(nodeName).withSystemUUID(nodeName)
            .withBootID(nodeName).withKubeProxyVersion("").endNodeInfo()
        .endStatus()
        .build();
    client.nodes().resource(node).createOr(existing -> existing.update());
    client.nodes().resource(node).updateStatus();
  }

  private void sync(Pod pod) {
    try {
      String nodeOfPod = pod.getSpec().getNodeName();
      if (nodeOfPod == null || nodeOfPod.isEmpty()) {
        bindIfMine(pod);
        return;
      }
      if (!nodeName.equals(nodeOfPod)) {
        return;
      }
      String key = key(pod);
      PodWorker worker = pods.get(key);
      if (worker != null && !Objects.equals(podUids.get(key), pod.getMetadata().getUid())) {
        worker = null; // a new pod with the name of an old one
      }
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        if (worker != null && !worker.isFinished()) {
          Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
          worker.stop("Deleted", grace == null ? 30 : grace);
        } else {
          deleteNow(pod);
        }
        return;
      }
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (worker == null && !"Succeeded".equals(phase) && !"Failed".equals(phase)) {
        worker = new PodWorker(this, pod, workDir.resolve("pods").resolve(
            pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName() + "_" + pod.getMetadata().getUid()));
        pods.put(key, worker);
        podUids.put(key, pod.getMetadata().getUid());
        workers.execute(worker);
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("process kubelet: cannot handle pod {}", key(pod), e);
    }
  }

  private void bindIfMine(Pod pod) {
    String scheduler = pod.getSpec().getSchedulerName();
    if (pod.getMetadata().getDeletionTimestamp() != null
        || (scheduler != null && !scheduler.equals("default-scheduler"))) {
      return;
    }
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    if (selector != null && !selector.isEmpty()) {
      Map<String, String> labels = client.nodes().withName(nodeName).get().getMetadata().getLabels();
      if (!selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
        LOG.info("pod {} stays Pending: its nodeSelector {} does not match node {}", key(pod), selector, nodeName);
        return;
      }
    }
    Binding binding = new BindingBuilder()
        .withNewMetadata().withName(pod.getMetadata().getName()).withNamespace(pod.getMetadata().getNamespace())
        .endMetadata()
        .withNewTarget().withApiVersion("v1").withKind("Node").withName(nodeName).endTarget()
        .build();
    try {
      client.bindings().inNamespace(pod.getMetadata().getNamespace()).resource(binding).create();
      LOG.info("bound pod {} to {}", key(pod), nodeName);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 && e.getCode() != 404) {
        LOG.warn("binding pod {} failed: {}", key(pod), e.getMessage());
      }
    }
  }

  private void deleted(Pod pod) {
    String key = key(pod);
    PodWorker worker = pods.get(key);
    if (worker != null && Objects.equals(podUids.get(key), pod.getMetadata().getUid())) {
      worker.stop("Deleted", 0);
      if (worker.isFinished()) {
        pods.remove(key);
        podUids.remove(key);
      }
    }
  }

  /** Called by a worker when its pod has ended; a deleted pod is then removed for good. */
  void podFinished(Pod pod, boolean deleted) {
    if (deleted) {
      deleteNow(pod);
    }
  }

  private void deleteNow(Pod pod) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .withGracePeriod(0).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.warn("final delete of pod {} failed: {}", key(pod), e.getMessage());
      }
    }
  }

  /** Stopping: its pods' processes are stopped and their status no longer reported. */
  boolean closing() {
    return closing;
  }

  KubernetesClient client() {
    return client;
  }

  /**
   * KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT, which a kubelet gives every container: the
   * API server's own address, because this control plane has no Service network to reach
   * {@code kubernetes.default} through.
   */
  Map<String, String> apiServerEnv() {
    URI server = URI.create(client.getConfiguration().getMasterUrl());
    return Map.of("KUBERNETES_SERVICE_HOST", server.getHost(), "KUBERNETES_SERVICE_PORT", String.valueOf(server.getPort()));
  }

  ReadinessProbes readinessProbes() {
    return readinessProbes;
  }

  ImageMappings images() {
    return images;
  }

  EnvResolver sources() {
    return sources;
  }

  static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  /** Kubernetes time: RFC 3339 in seconds. */
  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Stops every running container (SIGTERM, then SIGKILL) and the log endpoint; their end is not reported. */
  @Override
  public void close() {
    closing = true;
    if (informer != null) {
      informer.close();
    }
    events.shutdownNow();
    pods.values().forEach(w -> w.stop("KubeletStopped", 5));
    workers.shutdown();
    try {
      workers.awaitTermination(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    readinessProbes.close();
    logServer.close();
  }
}
