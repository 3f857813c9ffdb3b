package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * A control plane of its own with only the chart's admission policies (rendered by the real helm,
 * applied by the admin), the CRD and the people's RBAC: no operator, no kubelet, so that tests
 * judge the policies alone, as the users they judge, while nobody acts on their requests. One is
 * shared by the test classes ({@link SharedClusters}), each in namespaces of its own; the chart's
 * values are the union of what they need: the runner image of {@link JobSamples} and one
 * ServiceAccount approver.
 */
final class PolicyPlane implements AutoCloseable {

  static final String RELEASE_NS = "migration-gate";
  /** The chart's ServiceAccount for release "mg", as the API server names it. */
  static final String OPERATOR = "system:serviceaccount:" + RELEASE_NS + ":mg-migration-gate";
  /** The one ServiceAccount in {@code approval.serviceAccountApprovers}. */
  static final String SERVICE_ACCOUNT_APPROVER = "system:serviceaccount:ci:release-bot";
  /** The approvals policy's refusal of a request whose creator did not declare themselves, for a username. */
  static final String DECLARE_YOURSELF =
      "set the annotation migrationgate.io/requested-by to your own username (%s) when you create a MigrationRequest";
  /** Where the plane checks, before any test starts, that requested-by is stamped or must be declared. */
  private static final String PROBE_NAMESPACE = "stamp-probe";

  final Path workDir;
  final Path repo;
  final ControlPlane plane;
  final Kubectl admin;
  final Kubectl requester;
  final Kubectl approver;
  /** Whether this API server stamps requested-by or the creator declares it (Kubernetes before 1.36). */
  final RequestedBy requestedBy;

  private PolicyPlane(Path workDir, Path repo, ControlPlane plane) {
    this.workDir = workDir;
    this.repo = repo;
    this.plane = plane;
    this.admin = kubectl(LocalUser.ADMIN);
    this.requester = kubectl(LocalUser.REQUESTER);
    this.approver = kubectl(LocalUser.APPROVER);
    this.requestedBy = RequestedBy.on(plane.admin());
  }

  /** Starts the plane with the chart's policies; returns once they act. */
  static PolicyPlane start() throws Exception {
    Path workDir = Files.createTempDirectory("mg-policies-");
    Path repo = ChartRelease.repo();
    PolicyPlane p = new PolicyPlane(workDir, repo, ControlPlane.start(KubeBinaries.locate(System.getenv()), workDir));
    try {
      require(p.admin.run("apply", "--server-side", "-f", repo.resolve("crds").toString()));
      LocalCluster.awaitCrdServed(p.admin);
      // --validate: the chart sees this API server's APIs, as helm install would (offline, helm knows
      // no MutatingAdmissionPolicy): the stamp where it is served, else the declare-yourself rule
      List<String> template = List.of(p.plane.binaries().binary("helm").toString(), "template", "mg",
          repo.resolve("helm/migration-gate").toString(), "--namespace", RELEASE_NS,
          "--kubeconfig", p.plane.kubeconfig(LocalUser.ADMIN).toString(), "--validate",
          "--show-only", "templates/admission-policies.yaml",
          "--set", "runner.image=" + JobSamples.runnerImage(),
          "--set", "approval.serviceAccountApprovers={" + SERVICE_ACCOUNT_APPROVER + "}");
      require(p.admin.runWithInput(Processes.run(template, Duration.ofSeconds(60)), "apply", "-f", "-"));
      p.createNamespace(PROBE_NAMESPACE, "dev");
      // A request created before the policies act has no requested-by, and then no rule can name its
      // requester: tests start once the API server stamps it, or, where it cannot, refuses a request
      // that does not declare its creator.
      String probe = Yaml.request(PROBE_NAMESPACE, "stamp-probe", """
          workOrder: WO-0
          migrationTargetName: db
          migrations: {configMap: {name: scripts}}
          """);
      if (p.requestedBy == RequestedBy.STAMPED) {
        awaitAnswer(() -> p.requester.runWithInput(probe, "create", "--dry-run=server", "-o",
            "jsonpath={.metadata.annotations.migrationgate\\.io/requested-by}", "-f", "-"),
            LocalUser.REQUESTER.userName());
      } else {
        awaitPolicy(() -> p.requester.runWithInput(probe, "create", "--dry-run=server", "-f", "-"),
            DECLARE_YOURSELF.formatted(LocalUser.REQUESTER.userName()));
      }
      return p;
    } catch (Exception | Error e) {
      p.close();
      throw e;
    }
  }

  /** A namespace labelled {@code environment=<environment>}, where requesters and approvers get their usual rights. */
  void createNamespace(String name, String environment) {
    plane.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
        .addToLabels("environment", environment).endMetadata().build()).create();
    Rbac.grant(plane.admin(), name);
  }

  Kubectl kubectl(LocalUser user) {
    return new Kubectl(plane.binaries().kubectl(), plane.kubeconfig(user));
  }

  static void require(Kubectl.Result result) {
    assertThat(result.ok()).as(result.toString()).isTrue();
  }

  /** Asserts that the API server refused and that its message contains {@code fragments}. */
  static void refused(Kubectl.Result result, String... fragments) {
    assertThat(result.ok()).as("must be refused: " + result).isFalse();
    assertThat(result.err()).contains(fragments);
  }

  /**
   * A policy takes effect once the API server has loaded it, a moment after it was applied: waits
   * until {@code probe} (a dry run) is refused with {@code message}, so that a test is refused by the
   * policy and not by chance.
   */
  static void awaitPolicy(Supplier<Kubectl.Result> probe, String message) {
    awaitProbe(probe, r -> r.err().contains(message), "refuse with '" + message + "'");
  }

  /** Waits until {@code probe} prints {@code output}: for a mutating policy, once it acts. */
  private static void awaitAnswer(Supplier<Kubectl.Result> probe, String output) {
    awaitProbe(probe, r -> r.ok() && r.out().strip().equals(output), "answer '" + output + "'");
  }

  private static void awaitProbe(Supplier<Kubectl.Result> probe, java.util.function.Predicate<Kubectl.Result> done,
      String what) {
    java.util.concurrent.atomic.AtomicReference<Kubectl.Result> last = new java.util.concurrent.atomic.AtomicReference<>();
    try {
      // a loaded API server (CI, two cores) has taken more than 30 s to start enforcing a new policy
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
          .until(() -> {
            last.set(probe.get());
            return done.test(last.get());
          });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("the policies did not " + what + " within 90 s; last answer: " + last.get(), e);
    }
  }

  /** kubectl arguments for the admin acting as {@code user} in {@code groups} (impersonation). */
  static String[] as(String user, List<String> groups, String... args) {
    List<String> all = new ArrayList<>(List.of("--as", user));
    groups.forEach(g -> all.addAll(List.of("--as-group", g)));
    all.addAll(Arrays.asList(args));
    return all.toArray(String[]::new);
  }

  /** A Role in {@code namespace} with {@code verbs} on {@code resources} of {@code apiGroup}, bound to a user. */
  void grant(String namespace, String user, String apiGroup, List<String> resources, List<String> verbs) {
    String name = "grant-" + Integer.toHexString((user + resources + verbs).hashCode());
    plane.admin().resource(new RoleBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .addNewRule().withApiGroups(apiGroup).withResources(resources).withVerbs(verbs).endRule().build())
        .serverSideApply();
    plane.admin().resource(new RoleBindingBuilder().withNewMetadata().withName(name).withNamespace(namespace)
        .endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(name).endRoleRef()
        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(user).endSubject()
        .build()).serverSideApply();
    // the authorizer sees a new binding a moment later
    String[] resource = resources.get(0).split("/", 2);
    List<String> canI = new ArrayList<>(List.of("auth", "can-i", verbs.get(0),
        resource[0] + (apiGroup.isEmpty() ? "" : "." + apiGroup), "-n", namespace, "--as", user));
    if (resource.length > 1) {
      canI.add("--subresource=" + resource[1]);
    }
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> admin.run(canI.toArray(String[]::new)).out().strip().equals("yes"));
  }

  @Override
  public void close() {
    plane.close();
    Processes.deleteTree(workDir);
  }
}
