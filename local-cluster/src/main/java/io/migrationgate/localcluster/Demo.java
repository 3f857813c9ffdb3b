package io.migrationgate.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The way to try Migration Gate on one machine, installed as users install it: a real control
 * plane that runs Deployments, the process kubelet and an embedded PostgreSQL, the chart installed
 * with helm (its RBAC, every admission policy, the database plan on) and the operator as the pod of
 * the chart's Deployment, started by the process kubelet from the built image and signed in with
 * the pod's own ServiceAccount token, with examples/ applied by the requester. It prints the
 * kubectl commands for each person and runs until Ctrl-C. {@code --once} approves, waits for the
 * result, prints it and stops (what {@code InClusterOperatorIT} and a quick check run).
 */
public final class Demo implements AutoCloseable {

  /** From the chart's install to the operator's pod Ready and holding the Lease. */
  static final Duration OPERATOR_START_TIMEOUT = Duration.ofSeconds(90);
  /** What the README tells approvers to annotate with, so that Flux leaves the annotation alone. */
  private static final String APPROVER_FIELD_MANAGER = "migration-gate-approver";
  private static final String PLUGIN_DIR = "kubectl-plugin";

  private final Path repo;
  private final Path jar;
  private final Path workDir;
  private volatile LocalCluster cluster;
  private volatile ChartRelease release;
  private InClusterOperator.Running operator;
  private Examples.Applied applied;
  private double readySeconds;
  private final AtomicBoolean closed = new AtomicBoolean();

  public Demo(Path repo, Path jar, Path workDir) {
    this.repo = repo;
    this.jar = jar;
    this.workDir = workDir;
  }

  public static void main(String[] args) throws Exception {
    boolean once = List.of(args).contains("--once");
    Path repo = Path.of(System.getProperty("mg.repo", ".")).toAbsolutePath().normalize();
    Path jar = Path.of(System.getProperty("mg.jar", repo.resolve("operator/target/migration-gate.jar").toString()));
    Path workDir = Files.createTempDirectory("migration-gate-demo-");
    Demo demo = new Demo(repo, jar, workDir);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("\nStopping the pods (the operator's too), PostgreSQL and the control plane ...");
      demo.close();
      System.out.println("Stopped; " + workDir + " removed.");
      stopped.countDown();
    }, "demo-stop"));
    System.out.println("Starting etcd, kube-apiserver, kube-controller-manager, the process kubelet and PostgreSQL,"
        + " installing the chart with helm and waiting for its operator pod, under " + workDir + " ...");
    demo.start();
    System.out.print(demo.summary());
    if (once) {
      demo.runOnce();
      System.exit(0);
    }
    stopped.await();
  }

  /** Starts the cluster, installs the chart, waits for the operator's pod and applies examples/. */
  public void start() throws IOException, SQLException {
    Path examples = repo.resolve("examples");
    if (!Files.isDirectory(examples)) {
      throw new IllegalStateException("no examples/ directory in " + repo + ": the demo applies it");
    }
    long begun = System.nanoTime();
    cluster = LocalCluster.start(workDir, jar, Map.of(), ControlPlane.Deployments.RUN);
    release = ChartRelease.install(cluster, workDir, repo.resolve("helm/migration-gate"), jar,
        InClusterOperator.helmValues());
    operator = InClusterOperator.await(cluster, OPERATOR_START_TIMEOUT);
    readySeconds = (System.nanoTime() - begun) / 1e9;
    applied = Examples.apply(cluster, examples);
  }

  public LocalCluster cluster() {
    return cluster;
  }

  public InClusterOperator.Running operator() {
    return operator;
  }

  /** What the demo prints once it runs: where everything is and each person's commands. */
  public String summary() {
    Path kubeconfigs = cluster.controlPlane().kubeconfig(LocalUser.ADMIN).getParent();
    StringBuilder refusals = new StringBuilder();
    applied.refused().forEach((file, why) ->
        refusals.append("  ").append(repo.relativize(file)).append(": ").append(why).append('\n'));
    return String.format("""

        Migration Gate is running on a local Kubernetes %s control plane (ready in %.1f s, everything in %.1f s):
        the chart helm/migration-gate installed with helm as release %s in namespace %s (its RBAC, every
        admission policy, the database plan on, one replica). The operator is pod %s of the chart's
        Deployment (Ready %d s and leader %d s after it was created), started by the process kubelet from
        the built image operator/target/image (its entry point, JVM flags and Java runtime) and signed in
        with the pod's own token of ServiceAccount %s.
        Applied %s
        as %s (group %s). Namespaces: %s.
        The API server refused, as the chart's policies say:
        %s
        PostgreSQL: %s (superuser postgres, no password). Logs: %s

        One kubeconfig per person (token sign-in, RBAC on): requester %s, approver %s, admin, outsider %s.
        Paste these two lines first (kubectl is the same version as the API server; kubectl-plugin/ holds
        the kubectl migrationgate plugin):
          export PATH=%s:%s:$PATH
          K=%s

        The requester follows the request: Pending while a read-only plan Job reads the database, then
        AwaitingApproval; the plan says what will run, what the database held and how risky it is.
          kubectl migrationgate status -n shop-staging --kubeconfig $K/requester.kubeconfig
          kubectl migrationgate plan orders-add-status -n shop-staging --kubeconfig $K/requester.kubeconfig
        The approver reads the same plan and approves it in their own name, pinned to its digest (the
        chart's policies refuse anyone else's name, and the requester):
          kubectl migrationgate approve orders-add-status -n shop-staging --kubeconfig $K/approver.kubeconfig
        Both follow the run and read what it did:
          kubectl --kubeconfig $K/requester.kubeconfig wait --for=condition=Ready mr/orders-add-status -n shop-staging --timeout=5m
          kubectl migrationgate status orders-add-status -n shop-staging --kubeconfig $K/requester.kubeconfig
          kubectl migrationgate logs orders-add-status -n shop-staging --kubeconfig $K/requester.kubeconfig
          kubectl migrationgate evidence orders-add-status -n shop-staging --kubeconfig $K/requester.kubeconfig
        Without the plugin, the approval is one annotation (its field manager keeps Flux's drift correction off it):
          kubectl --kubeconfig $K/approver.kubeconfig annotate --field-manager=%s mr orders-add-status -n shop-staging migrationgate.io/approved-by=%s
        The admin sees everything, the operator's pod, its log and its Lease included:
          kubectl --kubeconfig $K/admin.kubeconfig get mr,jobs,pods -A
          kubectl --kubeconfig $K/admin.kubeconfig logs -n %s deploy/%s
          kubectl --kubeconfig $K/admin.kubeconfig get lease -n %s

        Press Ctrl-C to stop everything.
        """,
        cluster.controlPlane().binaries().version(), cluster.controlPlaneStart().toMillis() / 1000.0, readySeconds,
        ChartRelease.RELEASE, ChartRelease.NAMESPACE, operator.name(), operator.toReady().toSeconds(),
        operator.toLease().toSeconds(), ChartRelease.SA_USER,
        applied.files().stream().map(f -> repo.relativize(f).toString()).toList(),
        LocalUser.REQUESTER.userName(), Rbac.REQUESTERS, applied.namespaces(),
        refusals.isEmpty() ? "  nothing\n" : refusals,
        cluster.postgres().url("orders"), workDir.resolve("logs"),
        LocalUser.REQUESTER.userName(), LocalUser.APPROVER.userName(), LocalUser.OUTSIDER.userName(),
        cluster.controlPlane().binaries().versionDir(), repo.resolve(PLUGIN_DIR), kubeconfigs, APPROVER_FIELD_MANAGER,
        LocalUser.APPROVER.userName(), ChartRelease.NAMESPACE, ChartRelease.SERVICE_ACCOUNT, ChartRelease.NAMESPACE);
  }

  /** Stops the pods (the operator's too), PostgreSQL and the control plane, and removes the work dir. */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    if (release != null) {
      release.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    Processes.deleteTree(workDir);
  }

  /**
   * The printed walkthrough without a person at the keyboard: the requester reads the plan, the
   * approver approves with the plugin (answering its question), both follow the run; any command
   * that fails stops it.
   */
  public void runOnce() {
    Kubectl approver = cluster.kubectl(LocalUser.APPROVER);
    Kubectl requester = cluster.kubectl(LocalUser.REQUESTER);
    awaitPhase(requester, "AwaitingApproval");
    show(plugin(requester, null, "status", "-n", "shop-staging"));
    show(plugin(requester, null, "plan", "orders-add-status", "-n", "shop-staging"));
    show(plugin(approver, "y\n", "approve", "orders-add-status", "-n", "shop-staging"));
    show(requester.run("wait", "--for=condition=Ready", "mr/orders-add-status", "-n", "shop-staging",
        "--timeout=5m"));
    show(plugin(requester, null, "status", "orders-add-status", "-n", "shop-staging"));
    show(plugin(requester, null, "logs", "orders-add-status", "-n", "shop-staging"));
    show(plugin(requester, null, "evidence", "orders-add-status", "-n", "shop-staging"));
  }

  private Kubectl.Result plugin(Kubectl as, String stdin, String... args) {
    return as.runPlugin(repo.resolve(PLUGIN_DIR), stdin, "migrationgate", args);
  }

  private static void awaitPhase(Kubectl kubectl, String phase) {
    for (int i = 0; i < 240; i++) {
      if (kubectl.run("get", "mr", "orders-add-status", "-n", "shop-staging", "-o", "jsonpath={.status.phase}")
          .out().equals(phase)) {
        return;
      }
      Processes.sleep(250);
    }
    throw new IllegalStateException("orders-add-status never reached " + phase);
  }

  private static void show(Kubectl.Result result) {
    System.out.println("$ " + String.join(" ", result.command()));
    System.out.print(result.out());
    System.out.print(result.err());
    System.out.println();
    if (!result.ok()) {
      throw new IllegalStateException("the walkthrough stopped: " + String.join(" ", result.command())
          + " exited " + result.exitCode());
    }
  }
}
