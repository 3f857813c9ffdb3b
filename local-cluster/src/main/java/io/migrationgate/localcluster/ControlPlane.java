package io.migrationgate.localcluster;

import io.fabric8.kubeapitest.KubeAPIServerConfig;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.binary.BinaryManager;
import io.fabric8.kubeapitest.cert.CertManager;
import io.fabric8.kubeapitest.process.KubeAPIServerProcess;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane on 127.0.0.1: etcd (see {@link LoopbackEtcd}), kube-apiserver
 * started by fabric8 kube-api-test in offline mode (its certificates, flags and readiness check),
 * plus kube-controller-manager (Job, garbage-collector, namespace and service-account controllers;
 * with {@link Deployments#RUN} also the Deployment and ReplicaSet controllers).
 * Users sign in with static bearer tokens ({@link StaticTokenUsers}); RBAC is on.
 * Everything lives under one work directory; {@link #close()} stops it all.
 */
public final class ControlPlane implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
  static final List<String> CONTROLLERS = List.of(
      "job-controller", "garbage-collector-controller", "namespace-controller",
      "serviceaccount-controller", "serviceaccount-token-controller", "clusterrole-aggregation-controller",
      "ttl-after-finished-controller", "root-ca-certificate-publisher-controller");
  static final List<String> DEPLOYMENT_CONTROLLERS = List.of("deployment-controller", "replicaset-controller");

  /**
   * Whether Deployments get pods. The e2e tests run operators out of cluster as the chart's
   * ServiceAccount, and a pod of the chart's Deployment would compete with them for the Lease, so
   * they leave Deployments without pods. The demo runs the operator as that pod: then the
   * Deployment and ReplicaSet controllers run.
   */
  public enum Deployments { NOT_RUN, RUN }

  private final KubeBinaries binaries;
  private final Path workDir;
  private final LoopbackEtcd etcd;
  private final KubeAPIServerProcess apiServer;
  private final Map<LocalUser, Path> kubeconfigs;
  private final KubeletTls kubeletTls;
  private final Path apiServerDir;
  private Process controllerManager;
  /** kube-apiserver after {@link #restartApiServer}: started by us, with kube-api-test's command line. */
  private Process restartedApiServer;
  private KubernetesClient admin;
  private Duration startTime = Duration.ZERO;

  private ControlPlane(KubeBinaries binaries, Path workDir, LoopbackEtcd etcd, KubeAPIServerProcess apiServer,
      Map<LocalUser, Path> kubeconfigs, KubeletTls kubeletTls, Path apiServerDir) {
    this.binaries = binaries;
    this.workDir = workDir;
    this.etcd = etcd;
    this.apiServer = apiServer;
    this.kubeconfigs = kubeconfigs;
    this.kubeletTls = kubeletTls;
    this.apiServerDir = apiServerDir;
  }

  /** Starts etcd, kube-apiserver and kube-controller-manager under {@code workDir}. */
  public static ControlPlane start(KubeBinaries binaries, Path workDir) throws IOException {
    return start(binaries, workDir, Map.of());
  }

  /** As {@link #start(KubeBinaries, Path)}, with extra kube-apiserver flags (e.g. admission plugins). */
  public static ControlPlane start(KubeBinaries binaries, Path workDir, Map<String, String> apiServerFlags)
      throws IOException {
    return start(binaries, workDir, apiServerFlags, Deployments.NOT_RUN);
  }

  /** As {@link #start(KubeBinaries, Path, Map)}, with or without pods for Deployments. */
  public static ControlPlane start(KubeBinaries binaries, Path workDir, Map<String, String> apiServerFlags,
      Deployments deployments) throws IOException {
    long started = System.nanoTime();
    Files.createDirectories(workDir.resolve("logs"));
    // kube-api-test keeps its certificates in its "test dir" and looks for binaries under <dir>/k8s:
    // a per-run dir whose k8s/ points at the shared binaries keeps certificates out of ~/.kubeapitest.
    Path apiServerDir = Files.createDirectories(workDir.resolve("kube-api-test"));
    Files.createSymbolicLink(apiServerDir.resolve("k8s"), binaries.baseDir().resolve("k8s"));

    StaticTokenUsers users = StaticTokenUsers.create(workDir);
    KubeletTls kubeletTls = KubeletTls.generate(workDir);

    KubeAPIServerConfigBuilder configBuilder = KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(apiServerDir.toString())
        .withOfflineMode(true)
        .withApiServerVersion(binaries.version())
        .withUpdateKubeConfig(false)
        .withApiServerFlag("--bind-address", "127.0.0.1")
        .withApiServerFlag("--advertise-address", "127.0.0.1")
        .withApiServerFlag("--token-auth-file", users.tokenFile().toString())
        .withApiServerFlag("--kubelet-preferred-address-types", "InternalIP")
        .withApiServerFlag("--kubelet-certificate-authority", kubeletTls.certificatePem().toString())
        .withApiServerFlag("--kubelet-client-certificate", apiServerDir.resolve("client.crt").toString())
        .withApiServerFlag("--kubelet-client-key", apiServerDir.resolve("client.key").toString());
    apiServerFlags.forEach(configBuilder::withApiServerFlag);
    KubeAPIServerConfig config = configBuilder.build();
    BinaryManager binaryManager = new BinaryManager(config);
    binaryManager.initAndDownloadIfRequired();
    CertManager certificates = new CertManager(config.getKubeAPITestDir());
    certificates.createCertificatesIfNeeded();
    LoopbackEtcd etcd = LoopbackEtcd.start(binaries.binary("etcd"), workDir.resolve("etcd"),
        workDir.resolve("logs/etcd.log"), Duration.ofSeconds(60));
    KubeAPIServerProcess apiServer = new KubeAPIServerProcess(certificates, binaryManager,
        process -> LOG.error("kube-apiserver exited unexpectedly with {}", process.exitValue()), config);
    String serverUrl;
    try {
      serverUrl = "https://127.0.0.1:" + apiServer.startApiServer(etcd.clientPort());
      waitUntilReady(apiServer);
    } catch (RuntimeException e) {
      apiServer.stopApiServer();
      etcd.close();
      throw e;
    }
    String caData = Base64.getEncoder().encodeToString(Files.readAllBytes(apiServerDir.resolve("apiserver.crt")));
    Map<LocalUser, Path> kubeconfigs = users.writeKubeconfigs(workDir, serverUrl, caData);
    ControlPlane plane = new ControlPlane(binaries, workDir, etcd, apiServer, kubeconfigs, kubeletTls,
        apiServerDir);
    try {
      // kube-api-test turns the ServiceAccount admission off; a cluster users run has it on (it mounts
      // the pod's token unless the pod opts out, and refuses pods of a ServiceAccount that does not exist)
      plane.relaunchApiServer(Map.of("--disable-admission-plugins", ""));
      List<String> controllers = new ArrayList<>(CONTROLLERS);
      if (deployments == Deployments.RUN) {
        controllers.addAll(DEPLOYMENT_CONTROLLERS);
      }
      plane.controllerManager =
          startControllerManager(binaries, workDir, kubeconfigs.get(LocalUser.ADMIN), apiServerDir, controllers);
      Rbac.installClusterRoles(plane.admin());
      plane.awaitDefaultServiceAccount(Duration.ofSeconds(90));
    } catch (RuntimeException | IOException e) {
      plane.close();
      throw e;
    }
    plane.startTime = Duration.ofNanos(System.nanoTime() - started);
    LOG.info("control plane ready at {} in {} ms (work dir {})", serverUrl, plane.startTime.toMillis(), workDir);
    return plane;
  }

  private static Process startControllerManager(KubeBinaries binaries, Path workDir, Path kubeconfig,
      Path apiServerDir, List<String> controllers) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        binaries.binary("kube-controller-manager").toString(),
        "--kubeconfig", kubeconfig.toString(),
        "--bind-address", "127.0.0.1",
        "--secure-port", String.valueOf(Processes.freePort()),
        "--leader-elect=false",
        // kube-api-test signs service-account tokens with its API server key
        "--service-account-private-key-file", apiServerDir.resolve("apiserver.key").toString(),
        "--root-ca-file", apiServerDir.resolve("apiserver.crt").toString(),
        "--use-service-account-credentials=false",
        "--controllers", String.join(",", controllers)));
    Path log = workDir.resolve("logs/kube-controller-manager.log");
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private void awaitDefaultServiceAccount(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (admin().serviceAccounts().inNamespace("default").withName("default").get() == null) {
      if (!controllerManager.isAlive()) {
        throw new IllegalStateException("kube-controller-manager exited " + controllerManager.exitValue() + ":\n"
            + Processes.tail(workDir.resolve("logs/kube-controller-manager.log"), 30));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("kube-controller-manager created no default ServiceAccount in "
            + timeout.toSeconds() + " s:\n" + Processes.tail(workDir.resolve("logs/kube-controller-manager.log"), 30));
      }
      Processes.sleep(200);
    }
  }

  /** A client signed in as the cluster admin (system:masters). */
  public synchronized KubernetesClient admin() {
    if (admin == null) {
      admin = client(LocalUser.ADMIN);
    }
    return admin;
  }

  /** A new client signed in as {@code user}; the caller closes it. */
  public KubernetesClient client(LocalUser user) {
    try {
      String yaml = Files.readString(kubeconfigs.get(user), StandardCharsets.UTF_8);
      return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(yaml)).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path kubeconfig(LocalUser user) {
    return kubeconfigs.get(user);
  }

  public KubeBinaries binaries() {
    return binaries;
  }

  public KubeletTls kubeletTls() {
    return kubeletTls;
  }

  /** The client certificate the API server presents to kubelets (kube-api-test's admin certificate). */
  public Path apiServerClientCertificate() {
    return apiServerDir.resolve("client.crt");
  }

  /** How long {@link #start} took, from nothing to a working controller manager. */
  public Duration startTime() {
    return startTime;
  }

  /**
   * Kills kube-apiserver (SIGKILL, as kube-api-test stops it), waits {@code downtime} and starts it
   * again with the same command line, so the same port, certificates and etcd, except for
   * {@code flags} (e.g. a short {@code --min-request-timeout}, which ends watches often).
   */
  public synchronized void restartApiServer(Duration downtime, Map<String, String> flags) throws IOException {
    ProcessHandle running = apiServerProcess();
    List<String> command = commandOf(running, flags);
    running.destroyForcibly();
    running.onExit().join();
    Processes.sleep(downtime.toMillis());
    launchApiServer(command);
  }

  private static List<String> commandOf(ProcessHandle running, Map<String, String> flags) {
    List<String> command = new ArrayList<>();
    command.add(running.info().command().orElseThrow());
    command.addAll(ApiServerFlags.withFlags(List.of(running.info().arguments().orElseThrow()), flags));
    return command;
  }

  private void launchApiServer(List<String> command) throws IOException {
    restartedApiServer = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(Redirect.appendTo(workDir.resolve("logs/kube-apiserver-restarted.log").toFile())).start();
    awaitApiServerReady(Duration.ofSeconds(90));
  }

  /**
   * Changes {@code flags} that kube-api-test sets itself (it takes no other value for them): its
   * API server is stopped through kube-api-test, which then does not report an unexpected exit,
   * and started again at once with the same command line but for {@code flags}.
   */
  private synchronized void relaunchApiServer(Map<String, String> flags) throws IOException {
    List<String> command = commandOf(apiServerProcess(), flags);
    apiServer.stopApiServer();
    launchApiServer(command);
  }

  /** SIGSTOP: the API server holds every connection open and answers nothing, like a network partition. */
  public synchronized void pauseApiServer() {
    Processes.signal(apiServerProcess(), "STOP");
  }

  public synchronized void resumeApiServer() {
    Processes.signal(apiServerProcess(), "CONT");
  }

  /** Stops etcd, waits {@code downtime} and starts it again with its data; the API server reconnects. */
  public void restartEtcd(Duration downtime) {
    etcd.restart(downtime);
  }

  private ProcessHandle apiServerProcess() {
    if (restartedApiServer != null) {
      return restartedApiServer.toHandle();
    }
    String port = String.valueOf(apiServer.getApiServerPort());
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("kube-apiserver")).orElse(false))
        .filter(p -> p.info().arguments().map(a -> ApiServerFlags.flagValue(List.of(a), "--secure-port").equals(port)).orElse(false))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no kube-apiserver process serves port " + port));
  }

  private void awaitApiServerReady(Duration timeout) {
    Kubectl kubectl = new Kubectl(binaries.kubectl(), kubeconfigs.get(LocalUser.ADMIN));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!kubectl.run("get", "--raw", "/readyz", "--request-timeout=2s").ok()) {
      if (!restartedApiServer.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("kube-apiserver did not come back:\n"
            + Processes.tail(workDir.resolve("logs/kube-apiserver-restarted.log"), 30));
      }
      Processes.sleep(200);
    }
  }

  /**
   * kube-api-test bounds its readiness wait with LocalTime, which wraps at midnight: a start in a
   * day's last minute gave up at once ("did not start properly", seen in CI at 23:59). Its wait is
   * asked again within a bound of our own, on a clock that does not wrap.
   */
  private static void waitUntilReady(KubeAPIServerProcess apiServer) {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      try {
        apiServer.waitUntilReady();
        return;
      } catch (io.fabric8.kubeapitest.KubeAPITestException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Processes.sleep(500);
      }
    }
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    Processes.stop(controllerManager, Duration.ofSeconds(10));
    try {
      apiServer.stopApiServer();
    } catch (RuntimeException e) {
      LOG.warn("stopping kube-apiserver: {}", e.toString());
    }
    synchronized (this) {
      Processes.stop(restartedApiServer, Duration.ofSeconds(10));
    }
    etcd.close();
  }
}
