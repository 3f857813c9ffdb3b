package io.migrationgate.localcluster;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart installed with the real helm on a {@link LocalCluster}, and the operator run out of
 * cluster as the chart's ServiceAccount (a TokenRequest token), with the environment the chart's
 * Deployment gives its pods: leader election, the database plan and every other value as the chart
 * renders them. What runs is then exactly what the chart grants: its RBAC and its admission
 * policies. On a cluster that runs no Deployments (see {@link ControlPlane.Deployments}) the
 * chart's Deployment never gets a pod, so the operators started here are the only ones; the demo
 * runs Deployments and its operator is the Deployment's pod instead ({@link InClusterOperator}).
 */
public final class ChartRelease implements AutoCloseable {

  public static final String RELEASE = "mg";
  public static final String NAMESPACE = "migration-gate";
  public static final String SERVICE_ACCOUNT = "mg-migration-gate";
  public static final String SA_USER = "system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT;
  public static final String LEASE = "migration-gate-leader";
  // one identity for every start: a restarted operator renews its own Lease instead of waiting it out
  public static final String LEASE_IDENTITY = "out-of-cluster";
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  /** As on OpenShift and hardened clusters: blockOwnerDeletion needs update on the owner's finalizers. */
  public static final Map<String, String> HARDENED_API_SERVER =
      Map.of("--enable-admission-plugins", "OwnerReferencesPermissionEnforcement");
  /**
   * The one value the local cluster changes: rechecks every 5 s instead of 15 s, so that waiting
   * requests move on sooner and tests wait less. Everything else is the chart's default.
   */
  public static final List<String> LOCAL_VALUES = List.of("recheckInterval=5s");
  /** A production-labelled namespace: the chart's production guard refusing a request there shows the policies act. */
  private static final String POLICY_PROBE_NAMESPACE = "mg-policy-probe";

  private final LocalCluster cluster;
  private final Path workDir;
  private final Path jar;
  private Path operatorKubeconfig;
  private OperatorProcess operator;
  private int operatorStarts;
  private String installOutput;

  private ChartRelease(LocalCluster cluster, Path workDir, Path jar) {
    this.cluster = cluster;
    this.workDir = workDir;
    this.jar = jar;
  }

  /** The chart of the repository under test. */
  public static Path chart() {
    return repo().resolve("helm/migration-gate");
  }

  /** The repository under test ({@code -Dmg.repo}, set by the POM). */
  public static Path repo() {
    return Path.of(System.getProperty("mg.repo", "..")).toAbsolutePath().normalize();
  }

  /** The operator jar under test ({@code -Dmg.jar}: the lead can point it at another build). */
  public static Path jar() {
    return Path.of(System.getProperty("mg.jar", repo().resolve("operator/target/migration-gate.jar").toString()))
        .toAbsolutePath();
  }

  /**
   * Installs {@code chart} with {@link #LOCAL_VALUES} and {@code helmSets}, and waits until its
   * policies act and its ServiceAccount's rights are seen by the authorizer. The policies are
   * probed in a namespace labelled {@code environment=production}, so the chart's blocked selector
   * must match that label (the default does).
   */
  public static ChartRelease install(LocalCluster cluster, Path workDir, Path chart, Path jar, String... helmSets)
      throws IOException {
    ChartRelease release = new ChartRelease(cluster, workDir, jar);
    Kubectl admin = cluster.kubectl(LocalUser.ADMIN);
    List<String> install = new ArrayList<>(List.of("install", RELEASE, chart.toString(), "--namespace", NAMESPACE,
        "--create-namespace"));
    for (String set : Stream.concat(LOCAL_VALUES.stream(), Stream.of(helmSets)).toList()) {
      install.addAll(List.of("--set", set));
    }
    release.installOutput = release.helm(install.toArray(String[]::new));
    // as docs/approvals.md tells a platform team: the people who follow runs read them where a target's run
    Kubectl.Result readers = admin.run("create", "rolebinding", "mg-runs-readers", "-n", NAMESPACE,
        "--role=" + RELEASE + "-migration-gate-runs-reader", "--group=" + Rbac.REQUESTERS, "--group=" + Rbac.APPROVERS);
    if (!readers.ok()) {
      throw new IllegalStateException("could not bind the runs reader: " + readers);
    }
    LocalCluster.awaitCrdServed(admin);
    awaitPoliciesLoaded(cluster);
    // the authorizer sees new bindings a moment after helm created them
    for (String[] canI : List.of(new String[] {"list", "migrationrequests.migrationgate.io", "-A"},
        new String[] {"list", "namespaces"}, new String[] {"patch", "leases.coordination.k8s.io", "-n", NAMESPACE})) {
      List<String> args = new ArrayList<>(List.of("auth", "can-i", "--as", SA_USER));
      args.addAll(List.of(canI));
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
          .until(() -> admin.run(args.toArray(String[]::new)).out().strip().equals("yes"));
    }
    release.operatorKubeconfig = release.serviceAccountKubeconfig(admin);
    Kubectl.Result whoami = new Kubectl(cluster.controlPlane().binaries().kubectl(), release.operatorKubeconfig)
        .run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");
    if (!whoami.ok() || !whoami.out().equals(SA_USER)) {
      throw new IllegalStateException("the operator's kubeconfig does not sign in as " + SA_USER + ": " + whoami);
    }
    return release;
  }

  /** The production guard refuses the requester once the API server has loaded the chart's policies. */
  private static void awaitPoliciesLoaded(LocalCluster cluster) {
    cluster.createNamespace(POLICY_PROBE_NAMESPACE, Map.of("environment", "production"));
    Kubectl requester = cluster.kubectl(LocalUser.REQUESTER);
    // declared where the API server does not stamp it, so that only the production guard can refuse
    String probe = RequestedBy.on(cluster.controlPlane().admin()).request(POLICY_PROBE_NAMESPACE, "probe",
        LocalUser.REQUESTER.userName(), """
        workOrder: WO-0
        migrationTargetName: probe
        migrations: {configMap: {name: scripts}}
        """);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> !requester.runWithInput(probe, "create", "--dry-run=server", "-f", "-").ok());
    cluster.controlPlane().admin().namespaces().withName(POLICY_PROBE_NAMESPACE).delete();
  }

  public String helm(String... args) {
    List<String> command = new ArrayList<>(List.of(cluster.controlPlane().binaries().binary("helm").toString(),
        "--kubeconfig", cluster.controlPlane().kubeconfig(LocalUser.ADMIN).toString()));
    command.addAll(List.of(args));
    return Processes.run(command, Duration.ofSeconds(120));
  }

  /**
   * A kubeconfig holding a TokenRequest token of the chart's ServiceAccount, asked for by the admin;
   * valid for a day, longer than any test, bench run or demo session here.
   */
  private Path serviceAccountKubeconfig(Kubectl admin) throws IOException {
    Kubectl.Result token = admin.run("create", "token", SERVICE_ACCOUNT, "-n", NAMESPACE, "--duration=24h");
    if (!token.ok()) {
      throw new IllegalStateException("no token for " + SA_USER + ": " + token);
    }
    Config adminConfig = Config.fromKubeconfig(Files.readString(cluster.controlPlane().kubeconfig(LocalUser.ADMIN)));
    Path file = workDir.resolve("operator-service-account.kubeconfig");
    Files.writeString(file, StaticTokenUsers.kubeconfig(adminConfig.getMasterUrl().replaceAll("/$", ""),
        adminConfig.getCaCertData(), "migration-gate-sa", token.out().strip()));
    return file;
  }

  /** The kubeconfig the operators started here sign in with: the chart's ServiceAccount. */
  public Path operatorKubeconfig() {
    return operatorKubeconfig;
  }

  /**
   * An operator process, not started, as one pod of the chart's Deployment: the environment of the
   * Deployment's container, with {@code identity} as its Lease identity (the pod's name there) and
   * the Lease in the release namespace (the pod's namespace there), plus {@code extraEnv}. MG_PORT
   * is left to {@link OperatorProcess}, which gives each process a free port on this one host.
   */
  public OperatorProcess operatorProcess(String identity, Path logDir, Map<String, String> extraEnv) {
    Map<String, String> env = new LinkedHashMap<>();
    operatorContainer().getEnv().stream().filter(e -> e.getValue() != null)
        .forEach(e -> env.put(e.getName(), e.getValue()));
    env.remove("MG_PORT");
    env.put("MG_LEASE_NAMESPACE", NAMESPACE);
    env.put("MG_LEASE_IDENTITY", identity);
    env.putAll(extraEnv);
    return new OperatorProcess(jar, operatorKubeconfig, logDir, env);
  }

  /**
   * Starts a new operator process as {@link #operatorProcess} builds it, under {@link
   * #LEASE_IDENTITY}. Each start logs to a directory of its own.
   */
  public synchronized OperatorProcess startOperator() throws IOException {
    operatorStarts++;
    OperatorProcess process = operatorProcess(LEASE_IDENTITY,
        Files.createDirectories(workDir.resolve("logs/operator-as-sa-" + operatorStarts)), Map.of());
    try {
      process.start(START_TIMEOUT);
    } catch (RuntimeException e) {
      process.close(); // not ready in time: it must not linger
      throw e;
    }
    operator = process;
    return process;
  }

  /**
   * MG_RUNNER_IMAGE as the chart's Deployment sets it: the runner-Job policy allows only that image.
   * (The process kubelet maps any image named migration-gate to the jar.)
   */
  public String runnerImage() {
    return operatorContainer().getEnv().stream()
        .filter(e -> e.getName().equals("MG_RUNNER_IMAGE")).findFirst().orElseThrow().getValue();
  }

  private Container operatorContainer() {
    return cluster.controlPlane().admin().apps().deployments().inNamespace(NAMESPACE).withName(SERVICE_ACCOUNT).get()
        .getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  /** What {@code helm install} printed: the release and its NOTES.txt. */
  public String installOutput() {
    return installOutput;
  }

  /** kubectl signed in as the chart's ServiceAccount, as the operator is. */
  public Kubectl asOperator() {
    return new Kubectl(cluster.controlPlane().binaries().kubectl(), operatorKubeconfig);
  }

  /** SIGKILL, as a node failure or an OOM kill would end it: no shutdown hook, no Lease release. */
  public synchronized void killOperator() {
    if (operator != null) {
      operator.kill();
      operator = null;
    }
  }

  /** Stops the operator (SIGTERM) if one runs. */
  public synchronized void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  public synchronized boolean operatorRunning() {
    return operator != null;
  }

  /** The log of the latest operator start. */
  public Path operatorLog() {
    return workDir.resolve("logs/operator-as-sa-" + operatorStarts + "/operator-1.log");
  }

  public String operatorLogText() {
    try {
      return Files.isRegularFile(operatorLog()) ? Files.readString(operatorLog()) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    stopOperator();
  }
}
