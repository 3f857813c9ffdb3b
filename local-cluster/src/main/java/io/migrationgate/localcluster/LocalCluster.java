package io.migrationgate.localcluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.migrationgate.localcluster.kubelet.ImageMappings;
import io.migrationgate.localcluster.kubelet.ProcessKubelet;
import io.migrationgate.localcluster.kubelet.UnpackedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the demo, the e2e tests and the bench runs stand on, started in one call: the control plane,
 * the process kubelet and an embedded PostgreSQL. The operator comes with the chart
 * ({@link ChartRelease}), as users install it.
 */
public final class LocalCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
  public static final String CRD_NAME = "migrationrequests.migrationgate.io";

  private ControlPlane controlPlane;
  private ProcessKubelet kubelet;
  private LocalPostgres postgres;
  private UnpackedImage image;
  private Duration controlPlaneStart;
  private Duration totalStart;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private LocalCluster() {}

  /**
   * Starts it all under {@code workDir}. {@code jar} is the shaded operator jar, which the runner
   * containers run; {@code apiServerFlags} are added to kube-apiserver's.
   */
  public static LocalCluster start(Path workDir, Path jar, Map<String, String> apiServerFlags)
      throws IOException, SQLException {
    return start(workDir, jar, apiServerFlags, ControlPlane.Deployments.NOT_RUN);
  }

  /** As {@link #start(Path, Path, Map)}, with or without pods for Deployments (the demo runs the operator so). */
  public static LocalCluster start(Path workDir, Path jar, Map<String, String> apiServerFlags,
      ControlPlane.Deployments deployments) throws IOException, SQLException {
    long started = System.nanoTime();
    KubeBinaries binaries = KubeBinaries.locate(System.getenv());
    OperatorProcess.requireJar(jar);
    LocalCluster cluster = new LocalCluster();
    try {
      Files.createDirectories(workDir.resolve("logs"));
      CompletableFuture<LocalPostgres> postgres = CompletableFuture.supplyAsync(() -> {
        try {
          return LocalPostgres.start(Files.createDirectories(workDir.resolve("postgres")).resolve("data"));
        } catch (IOException | SQLException e) {
          throw new CompletionException(e);
        }
      });
      cluster.controlPlane = ControlPlane.start(binaries, workDir.resolve("control-plane"), apiServerFlags,
          deployments);
      cluster.controlPlaneStart = cluster.controlPlane.startTime();
      cluster.image = UnpackedImage.unpack(jar.toAbsolutePath().resolveSibling("image"),
          jar.toAbsolutePath().resolveSibling("image-unpacked"));
      cluster.kubelet = new ProcessKubelet(cluster.controlPlane.admin(), ProcessKubelet.DEFAULT_NODE_NAME,
          workDir.resolve("kubelet"), new ImageMappings(cluster.image),
          cluster.controlPlane.kubeletTls(), cluster.controlPlane.apiServerClientCertificate());
      cluster.kubelet.start();
      try {
        cluster.postgres = postgres.join();
      } catch (CompletionException e) {
        throw new IllegalStateException("embedded PostgreSQL did not start: " + e.getCause(), e.getCause());
      }
    } catch (RuntimeException | IOException e) {
      cluster.close();
      throw e;
    }
    cluster.totalStart = Duration.ofNanos(System.nanoTime() - started);
    LOG.info("local cluster ready in {} ms (control plane {} ms)", cluster.totalStart.toMillis(),
        cluster.controlPlaneStart.toMillis());
    return cluster;
  }

  /**
   * Waits until the API server accepts a MigrationRequest: a CRD is served a moment after it is
   * Established ("Resource kind ... not found. There can be a delay ..."), and a test that creates
   * a request in that moment fails for no reason of its own.
   */
  public static void awaitCrdServed(Kubectl admin) {
    Kubectl.Result established = admin.run("wait", "--for=condition=Established", "--timeout=60s", "crd/" + CRD_NAME);
    if (!established.ok()) {
      throw new IllegalStateException("the CRD is not established: " + established);
    }
    String probe = """
        apiVersion: migrationgate.io/v1alpha1
        kind: MigrationRequest
        metadata: {name: served-probe, namespace: default}
        spec:
          workOrder: WO-0
          migrationTargetName: probe
          migrations: {configMap: {name: probe}}
        """;
    Kubectl.Result last = null;
    for (int i = 0; i < 150; i++) {
      last = admin.runWithInput(probe, "create", "--dry-run=server", "-f", "-");
      if (last.ok() || !last.err().contains("not found")) {
        return;
      }
      Processes.sleep(200);
    }
    throw new IllegalStateException("the CRD is established but not served after 30 s: " + last);
  }

  /** Creates a namespace with labels and lets the requester and approver groups work in it. */
  public void createNamespace(String name, Map<String, String> labels) {
    controlPlane.admin().namespaces().resource(new NamespaceBuilder()
        .withNewMetadata().withName(name).withLabels(labels).endMetadata().build()).create();
    Rbac.grant(controlPlane.admin(), name);
  }

  public Kubectl kubectl(LocalUser user) {
    return new Kubectl(controlPlane.binaries().kubectl(), controlPlane.kubeconfig(user));
  }

  public ControlPlane controlPlane() {
    return controlPlane;
  }

  /** The image the kubelet runs pods of the migration-gate image from, unpacked. */
  public UnpackedImage image() {
    return image;
  }

  public LocalPostgres postgres() {
    return postgres;
  }

  public Duration controlPlaneStart() {
    return controlPlaneStart;
  }

  public Duration totalStart() {
    return totalStart;
  }

  /**
   * Stops the kubelet's processes, PostgreSQL and the control plane, in that order (stop the
   * operator first). Safe to call more than once (the tests also call it from a shutdown hook).
   */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException e) {
        LOG.warn("stopping PostgreSQL: {}", e.toString());
      }
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
  }
}
