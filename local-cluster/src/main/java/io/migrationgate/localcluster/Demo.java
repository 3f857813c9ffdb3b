package io.migrationgate.localcluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The way to try Migration Gate on one machine, installed as users install it: a real control
 * plane, the process kubelet and an embedded PostgreSQL, the chart installed with helm (its RBAC,
 * every admission policy, the database plan on) and the operator signed in as the chart's
 * ServiceAccount (out of cluster: there is no container runtime here), with examples/ applied by
 * the requester. It prints the kubectl commands for each person and runs until Ctrl-C. {@code
 * --once} approves, waits for the result, prints it and stops (what CI or a quick check runs).
 */
public final class Demo {

  private Demo() {}

  public static void main(String[] args) throws Exception {
    boolean once = List.of(args).contains("--once");
    Path repo = Path.of(System.getProperty("mg.repo", ".")).toAbsolutePath().normalize();
    Path jar = Path.of(System.getProperty("mg.jar", repo.resolve("operator/target/migration-gate.jar").toString()));
    Path examples = repo.resolve("examples");
    if (!Files.isDirectory(examples)) {
      throw new IllegalStateException("no examples/ directory in " + repo + ": the demo applies it");
    }
    Path workDir = Files.createTempDirectory("migration-gate-demo-");
    System.out.println("Starting etcd, kube-apiserver, kube-controller-manager, the process kubelet and PostgreSQL,"
        + " installing the chart with helm and starting the operator as its ServiceAccount, under " + workDir + " ...");
    long begun = System.nanoTime();
    LocalCluster cluster = LocalCluster.start(workDir, jar, Map.of());
    AtomicReference<ChartRelease> release = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("\nStopping the operator, pods, PostgreSQL and the control plane ...");
      if (release.get() != null) {
        release.get().close();
      }
      cluster.close();
      Processes.deleteTree(workDir);
      System.out.println("Stopped; " + workDir + " removed.");
      stopped.countDown();
    }, "demo-stop"));
    release.set(ChartRelease.install(cluster, workDir, repo.resolve("helm/migration-gate"), jar));
    release.get().startOperator();
    double ready = (System.nanoTime() - begun) / 1e9;

    Examples.Applied applied = Examples.apply(cluster, examples);
    Path kubeconfigs = cluster.controlPlane().kubeconfig(LocalUser.ADMIN).getParent();
    StringBuilder refusals = new StringBuilder();
    applied.refused().forEach((file, why) ->
        refusals.append("  ").append(repo.relativize(file)).append(": ").append(why).append('\n'));
    System.out.printf("""

        Migration Gate is running on a local Kubernetes %s control plane (ready in %.1f s, everything in %.1f s):
        the chart helm/migration-gate installed with helm as release %s in namespace %s (its RBAC, every
        admission policy, the database plan on), the operator signed in as %s.
        Applied %s
        as %s (group %s). Namespaces: %s.
        The API server refused, as the chart's policies say:
        %s
        PostgreSQL: %s (superuser postgres, no password). Logs: %s

        One kubeconfig per person (token sign-in, RBAC on): requester %s, approver %s, admin, outsider %s.
        Paste these two lines first (kubectl is the same version as the API server):
          export PATH=%s:$PATH
          K=%s

        The requester follows the request: Pending while a read-only plan Job reads the database, then AwaitingApproval.
          kubectl --kubeconfig $K/requester.kubeconfig get mr -n shop-staging -o wide
          kubectl --kubeconfig $K/requester.kubeconfig get mr orders-add-status -n shop-staging -o jsonpath='{.status.conditions[?(@.type=="Ready")].message}{"\\n"}'
        The approver approves in their own name (the chart's policy refuses anyone else's name, and the requester):
          kubectl --kubeconfig $K/approver.kubeconfig annotate mr orders-add-status -n shop-staging migrationgate.io/approved-by=%s
        Both watch it run:
          kubectl --kubeconfig $K/requester.kubeconfig get mr -n shop-staging -w
          kubectl --kubeconfig $K/requester.kubeconfig wait --for=condition=Ready mr/orders-add-status -n shop-staging --timeout=5m
          kubectl --kubeconfig $K/requester.kubeconfig get mr orders-add-status -n shop-staging -o jsonpath='{.status.result}{"\\n"}'
          kubectl --kubeconfig $K/requester.kubeconfig logs -n shop-staging job/$(kubectl --kubeconfig $K/requester.kubeconfig get mr orders-add-status -n shop-staging -o jsonpath='{.status.job.name}')
        The admin sees everything, the operator's Lease included:
          kubectl --kubeconfig $K/admin.kubeconfig get mr,jobs,pods -A
          kubectl --kubeconfig $K/admin.kubeconfig get lease -n %s

        Press Ctrl-C to stop everything.
        """,
        cluster.controlPlane().binaries().version(), cluster.controlPlaneStart().toMillis() / 1000.0, ready,
        ChartRelease.RELEASE, ChartRelease.NAMESPACE, ChartRelease.SA_USER,
        applied.files().stream().map(f -> repo.relativize(f).toString()).toList(),
        LocalUser.REQUESTER.userName(), Rbac.REQUESTERS, applied.namespaces(),
        refusals.isEmpty() ? "  nothing\n" : refusals,
        cluster.postgres().url("orders"), workDir.resolve("logs"),
        LocalUser.REQUESTER.userName(), LocalUser.APPROVER.userName(), LocalUser.OUTSIDER.userName(),
        cluster.controlPlane().binaries().versionDir(), kubeconfigs, LocalUser.APPROVER.userName(),
        ChartRelease.NAMESPACE);

    if (once) {
      runOnce(cluster);
      System.exit(0);
    }
    stopped.await();
  }

  /** Approve, wait, show: the walkthrough without a person at the keyboard. */
  private static void runOnce(LocalCluster cluster) {
    Kubectl approver = cluster.kubectl(LocalUser.APPROVER);
    Kubectl requester = cluster.kubectl(LocalUser.REQUESTER);
    awaitPhase(requester, "AwaitingApproval");
    show(requester.run("get", "mr", "-n", "shop-staging", "-o", "wide"));
    show(approver.run("annotate", "mr", "orders-add-status", "-n", "shop-staging",
        "migrationgate.io/approved-by=" + LocalUser.APPROVER.userName()));
    Kubectl.Result ready = requester.run("wait", "--for=condition=Ready", "mr/orders-add-status", "-n", "shop-staging",
        "--timeout=5m");
    show(ready);
    show(requester.run("get", "mr", "-n", "shop-staging"));
    show(requester.run("get", "mr", "orders-add-status", "-n", "shop-staging", "-o", "jsonpath={.status.result}"));
    show(requester.run("events", "-n", "shop-staging", "--for", "mr/orders-add-status"));
    if (!ready.ok()) {
      throw new IllegalStateException("the example request did not become Ready");
    }
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
  }


}
