package io.migrationgate.localcluster;

import static io.migrationgate.localcluster.GuardedCluster.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chart installed with the real helm on a control plane of its own (with the process kubelet
 * and PostgreSQL of {@link LocalCluster}, but no operator of LocalCluster's), and the operator run
 * out of cluster as the chart's ServiceAccount, with a TokenRequest token: the full flow then proves
 * the chart's RBAC is enough. The chart's Deployment keeps its two replicas but never gets a pod:
 * this control plane runs no Deployment or ReplicaSet controller (see {@link ControlPlane#CONTROLLERS}),
 * so the only operator is the one started here. Also: the pods the operator creates pass Pod
 * Security {@code restricted}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmInstallIT {

  static final String RELEASE = ChartRelease.RELEASE;
  static final String RELEASE_NS = ChartRelease.NAMESPACE;
  static final String SERVICE_ACCOUNT = ChartRelease.SERVICE_ACCOUNT;
  static final String LEASE = ChartRelease.LEASE;
  static final String NS = "helm-shop";
  static final String RESTRICTED = "psa-restricted";
  static final String LEASE_IDENTITY = ChartRelease.LEASE_IDENTITY;
  static final String SA_USER = ChartRelease.SA_USER;
  /** The operator's Role (signing key, public keys) and ClusterRole (MigrationRecords) for records. */
  static final String RECORDS = RELEASE + "-migration-gate-records";
  static final String RECORDS_KEYS = RELEASE + "-migration-gate-record-keys";
  static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

  static Path workDir;
  static LocalCluster cluster;
  static ChartRelease release;
  /** What people do on this cluster, as on the shared one. */
  static GuardedCluster g;
  static KubernetesClient client;
  static Kubectl admin;
  static OperatorProcess operator;

  @BeforeAll
  static void installTheChartAndRunTheOperatorAsItsServiceAccount() throws Exception {
    workDir = Files.createTempDirectory("mg-helm-");
    cluster = LocalCluster.start(workDir, ChartRelease.jar(), ChartRelease.HARDENED_API_SERVER);
    release = ChartRelease.install(cluster, workDir, ChartRelease.chart(), ChartRelease.jar(), "metrics.service.enabled=true");
    g = new GuardedCluster(cluster, release);
    client = g.client;
    admin = g.admin;
    g.createNamespace(NS);
    operator = startOperator();
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (g != null) {
        g.close();
      }
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      E2eLogs.keep(workDir, "helm-install");
      Processes.deleteTree(workDir);
    }
  }

  /** A new operator process as the chart's ServiceAccount (see {@link ChartRelease#startOperator}). */
  static OperatorProcess startOperator() throws IOException {
    return release.startOperator();
  }

  /** The requester submits request {@code name} on a new database of that name; returns the database. */
  static String submit(String name) throws SQLException {
    String database = name.replace('-', '_');
    g.submit(NS, name, g.database(database), Fixtures.orders());
    return database;
  }

  @Test
  @Order(1)
  void theChartsServiceAccountIsEnoughForTheWholeFlow() throws Exception {
    assertThat(client.pods().inNamespace(RELEASE_NS).list().getItems())
        .as("the chart's Deployment must not run pods here").isEmpty();
    assertThat(client.apps().deployments().inNamespace(RELEASE_NS).withName(SERVICE_ACCOUNT).get()).isNotNull();

    String database = submit("orders-add-status");
    g.awaitPhase(NS, "orders-add-status", "AwaitingApproval", GuardedCluster.PLANNED);
    g.approve(NS, "orders-add-status");
    Kubectl.Result ready = g.requester.run("wait", "--for=condition=Ready", "mr/orders-add-status", "-n", NS,
        "--timeout=180s");
    assertThat(ready.ok()).as(ready + "\n" + g.describe(NS)).isTrue();
    assertThat(g.phase(NS, "orders-add-status")).isEqualTo("Succeeded");
    assertThat(g.columns(database, "orders", "status")).isEqualTo(1);
    assertThat(admin.run("get", "lease", LEASE, "-n", RELEASE_NS, "-o", "jsonpath={.spec.holderIdentity}").out())
        .isEqualTo(LEASE_IDENTITY);
    assertThat(eventsOn("orders-add-status")).as("Events on the request").isNotEmpty();
    // enough means nothing refused, not only a happy ending: a refused status patch or Lease renewal
    // is retried or waited out, and would pass a shorter test
    assertThat(operatorLogText()).as("the operator's log with the chart's RBAC").doesNotContain("forbidden");
  }

  @Test
  @Order(2)
  void podsTheOperatorCreatesPassPodSecurityRestricted() throws Exception {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(RESTRICTED)
        .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
        .addToLabels("pod-security.kubernetes.io/enforce-version", "latest").endMetadata().build()).create();
    // the ServiceAccount admission plugin wants the namespace's default ServiceAccount first
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> client.serviceAccounts().inNamespace(RESTRICTED).withName("default").get() != null);

    Job fromConfigMap = client.batch().v1().jobs().inNamespace(RELEASE_NS)
        .withName(g.request(NS, "orders-add-status").at("/status/job/name").asText()).get();
    assertThat(fromConfigMap).as("the run Job of the first test").isNotNull();
    // An image source: its plan Job runs the runner only (no requester code before approval), so the
    // request reaches AwaitingApproval. Its run Job would copy the scripts in an init container, but
    // the process kubelet knows no such image and the run would wait on it: that Job is JobFactory's
    // committed sample (JobSamples), checked below with the release's runner image.
    Job imagePlan;
    try (JobWatch seen = g.watchJobs(RELEASE_NS)) {
      g.submit(NS, "from-image", null, Fixtures.imageSpec("from-image", g.database("from_image"),
          "registry.example/orders-migrations@" + DIGEST));
      JsonNode awaiting = g.awaitPhase(NS, "from-image", "AwaitingApproval", GuardedCluster.PLANNED);
      assertThat(GuardedCluster.condition(awaiting, "Ready").path("message").asText())
          .contains("will apply the scripts in image registry.example/orders-migrations@" + DIGEST
              + ", not read before approval").contains("read before approval: the database only");
      assertThat(awaiting.at("/status/plan/risk/findings/0/message").asText())
          .isEqualTo("not analysed: image source, not opened before approval");
      imagePlan = seen.named(awaiting.at("/status/plan/check/job").asText());
    }
    require(admin.run("delete", "mr", "from-image", "-n", NS, "--wait=false"));
    assertThat(imagePlan).as("the image source's plan Job").isNotNull();
    assertThat(imagePlan.getSpec().getTemplate().getSpec().getInitContainers())
        .as("an image source's plan Job runs no init container").isEmpty();
    assertThat(imagePlan.getSpec().getTemplate().getSpec().getContainers()).singleElement()
        .satisfies(runner -> assertThat(runner.getImage()).isEqualTo(release.runnerImage()));
    Job imageRun = JobSamples.runFromImage();
    // in the runs namespace, as a target's Jobs are: its labels name the request, no owner reference
    imageRun.getMetadata().setNamespace(RELEASE_NS);
    imageRun.getMetadata().setOwnerReferences(null);
    imageRun.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(release.runnerImage());
    assertThat(imageRun.getSpec().getTemplate().getSpec().getInitContainers())
        .as("its run Job copies the approved image's scripts in an init container").hasSize(1);
    List<Job> operatorJobs = List.of(fromConfigMap, imagePlan, imageRun);

    for (Job job : operatorJobs) {
      Pod pod = podOf(job);
      client.pods().inNamespace(RESTRICTED).resource(pod).dryRun().create();

      Pod withoutDrop = new PodBuilder(pod).build();
      Stream.concat(withoutDrop.getSpec().getContainers().stream(), withoutDrop.getSpec().getInitContainers().stream())
          .map(Container::getSecurityContext).forEach(sc -> sc.getCapabilities().setDrop(null));
      assertThatThrownBy(() -> client.pods().inNamespace(RESTRICTED).resource(withoutDrop).dryRun().create())
          .as("the check can fail: %s without capabilities.drop", job.getMetadata().getName())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("violates PodSecurity \"restricted:latest\"")
          .hasMessageContaining("capabilities.drop=[\"ALL\"]");
    }

    // the chart's runner-Job policy admits exactly what the operator built, and only that
    Kubectl asOperator = release.asOperator();
    for (Job job : operatorJobs) {
      require(asOperator.runWithInput(Serialization.asYaml(replayable(job)), "create", "--dry-run=server", "-f", "-"));
      Job otherImage = replayable(job);
      otherImage.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.example/miner:1");
      Kubectl.Result refused = asOperator.runWithInput(Serialization.asYaml(otherImage), "create", "--dry-run=server",
          "-f", "-");
      assertThat(refused.ok()).as(refused.toString()).isFalse();
      assertThat(refused.err()).contains("runs one container, runner, with the image " + release.runnerImage());
    }
    // ... and refuses the requester's image in a plan Job, before anyone approved
    Job planOpeningTheImage = replayable(imagePlan);
    planOpeningTheImage.getSpec().getTemplate().getSpec()
        .setInitContainers(imageRun.getSpec().getTemplate().getSpec().getInitContainers());
    planOpeningTheImage.getSpec().getTemplate().getSpec().getVolumes()
        .add(imageRun.getSpec().getTemplate().getSpec().getVolumes().get(0));
    Kubectl.Result refused = asOperator.runWithInput(Serialization.asYaml(planOpeningTheImage), "create",
        "--dry-run=server", "-f", "-");
    assertThat(refused.ok()).as(refused.toString()).isFalse();
    assertThat(refused.err()).contains("a plan Job (the runner's plan program) has no init container");
  }

  @Test
  @Order(4)
  void theReleaseHasItsMetricsServiceDisruptionBudgetAndTheStampItsClusterServes() {
    PodTemplateSpec pods = client.apps().deployments().inNamespace(RELEASE_NS).withName(SERVICE_ACCOUNT).get()
        .getSpec().getTemplate();
    Service service = client.services().inNamespace(RELEASE_NS).withName(SERVICE_ACCOUNT + "-metrics").get();
    assertThat(service).as("metrics.service.enabled=true").isNotNull();
    assertThat(pods.getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(service.getSpec().getPorts()).singleElement()
        .satisfies(port -> assertThat(port.getTargetPort().getStrVal()).isEqualTo("http"));

    PodDisruptionBudget budget = client.policy().v1().podDisruptionBudget().inNamespace(RELEASE_NS)
        .withName(SERVICE_ACCOUNT).get();
    assertThat(budget).as("two replicas get a PodDisruptionBudget").isNotNull();
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pods.getMetadata().getLabels()).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());

    // helm asked this API server (1.36), which serves MutatingAdmissionPolicy: the stamp, not the fallback
    assertThat(admin.run("get", "mutatingadmissionpolicies.admissionregistration.k8s.io",
        RELEASE + "-migration-gate-requested-by").ok()).isTrue();
    assertThat(release.installOutput()).contains("migrationgate.io/requested-by: stamped by the API server");
    // the release itself, as a dry run: a second release would be refused (aSecondReleaseIsRefused...)
    String declared = release.helm("upgrade", RELEASE, ChartRelease.chart().toString(), "--namespace", RELEASE_NS,
        "--dry-run=server", "--reuse-values", "--set", "approval.stampRequestedBy=false");
    assertThat(declared).contains("migrationgate.io/requested-by: declared by the creator")
        .contains("approval.stampRequestedBy=false").doesNotContain("kind: MutatingAdmissionPolicy");

    // the ServiceMonitor CRD is not installed here: the install says so and creates nothing
    assertThatThrownBy(() -> release.helm("upgrade", RELEASE, ChartRelease.chart().toString(),
        "--namespace", RELEASE_NS, "--dry-run=server", "--reuse-values", "--set", "metrics.serviceMonitor.enabled=true"))
        .hasMessageContaining("no matches for kind \"ServiceMonitor\" in version \"monitoring.coreos.com/v1\"")
        .hasMessageContaining("ensure CRDs are installed first");
  }

  @Test
  @Order(6)
  void aSecondReleaseIsRefusedNamingTheFirstWhichStillUpgrades() {
    // say a team's own release for its namespace: its status policy would refuse the first operator
    assertThatThrownBy(() -> release.helm("install", "team-b", ChartRelease.chart().toString(), "--namespace", "team-b",
        "--create-namespace", "--set", "watchNamespaces={team-b}"))
        .hasMessageContaining("Migration Gate is already installed in this cluster: release " + RELEASE
            + " in namespace " + RELEASE_NS);
    assertThat(release.helm("list", "--all-namespaces", "--all", "--short")).doesNotContain("team-b");
    assertThat(admin.run("get", "validatingadmissionpolicies", "team-b-migration-gate-status").ok())
        .as("nothing of the refused release is installed").isFalse();

    // the release that holds the cluster finds its own marker and upgrades
    assertThat(release.helm("upgrade", RELEASE, ChartRelease.chart().toString(), "--namespace", RELEASE_NS,
        "--reuse-values")).contains("has been upgraded");
  }

  @Test
  @Order(7)
  void afterUninstallTheDocumentedCleanupLetsRequestsJobsAndNamespacesGo() throws Exception {
    String leaving = "leaving";
    cluster.createNamespace(leaving, Map.of("environment", "dev"));
    // a target whose Secret does not exist: the plan Job's pod waits for it, so the Job keeps the outcome finalizer
    require(admin.runWithInput(Yaml.target("leaving", "jdbc:postgresql://127.0.0.1:1/none", "absent", false),
        "apply", "-f", "-"));
    require(g.requester.runWithInput(String.join("---\n",
        Yaml.scripts(leaving, "leaving-scripts", Map.of("V1__one.sql", "select 1;\n")),
        Yaml.request(leaving, "stays", """
            workOrder: WO-7
            migrationTargetName: leaving
            migrations: {configMap: {name: leaving-scripts}}
            """)), "apply", "-f", "-"));
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(client.batch().v1().jobs().inNamespace(RELEASE_NS).withLabel("migrationgate.io/request-namespace",
            leaving).list().getItems())
            .anySatisfy(job -> assertThat(job.getMetadata().getFinalizers()).contains("migrationgate.io/job-outcome")));

    release.stopOperator();
    release.helm("uninstall", RELEASE, "--namespace", RELEASE_NS);
    require(admin.run("delete", "namespace", leaving, "--wait=false"));
    // nothing releases the finalizers now: the namespace stays, its request and Job with it
    await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofSeconds(1))
        .until(() -> client.namespaces().withName(leaving).get() != null);
    assertThat(client.namespaces().withName(leaving).get().getStatus().getPhase()).isEqualTo("Terminating");

    Process cleanup = documentedCleanup();
    String said = new String(cleanup.getInputStream().readAllBytes());
    assertThat(cleanup.waitFor()).as("the cleanup block said: " + said).isZero();

    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> client.namespaces().withName(leaving).get() == null);
    assertThat(admin.run("get", "mr", "-A", "-o", "jsonpath={.items[*].metadata.finalizers}").out())
        .as("no request elsewhere keeps the operator's finalizer").isEmpty();
    assertThat(admin.run("get", "jobs", "-A", "-l", "app.kubernetes.io/managed-by=migration-gate",
        "-o", "jsonpath={.items[*].metadata.finalizers}").out()).doesNotContain("migrationgate.io/job-outcome");
    // and step 4 no longer waits on the requests of other namespaces
    require(admin.run("delete", "crd", "migrationrequests.migrationgate.io", "--timeout=60s"));
  }

  /** docs/operations.md's cleanup block, as written there, run by the admin. */
  static Process documentedCleanup() throws IOException {
    String page = Files.readString(ChartRelease.repo().resolve("docs/operations.md"));
    String block = page.substring(page.indexOf("<!-- release-finalizers:start -->"),
        page.indexOf("<!-- release-finalizers:end -->"));
    String script = block.substring(block.indexOf("```bash\n") + "```bash\n".length(), block.lastIndexOf("```"));
    ProcessBuilder bash = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
    bash.environment().put("KUBECONFIG", cluster.controlPlane().kubeconfig(LocalUser.ADMIN).toString());
    bash.environment().put("PATH", cluster.controlPlane().binaries().kubectl().getParent() + ":" + System.getenv("PATH"));
    Process process = bash.start();
    process.getOutputStream().close();
    return process;
  }

  /** A person bound in {@link #NS} to one role, and what they may then do there. */
  record Person(String user, String clusterRole, List<String> may, List<String> mayNot) {}

  @Test
  @Order(5)
  void peoplesRolesReachTheBuiltInEditAndViewButApprovingDoesNot() {
    String mr = "migrationrequests.migrationgate.io";
    List<Person> people = List.of(
        new Person("erin-editor", "edit", List.of("create " + mr, "delete " + mr, "list " + mr),
            List.of("patch " + mr, "update " + mr)),
        new Person("vic-viewer", "view", List.of("get " + mr, "list " + mr, "watch " + mr),
            List.of("create " + mr, "patch " + mr)),
        new Person("rhea-requester", RELEASE + "-migration-gate-requester",
            List.of("create " + mr, "delete " + mr, "create configmaps", "update configmaps", "get pods --subresource=log",
                "list events", "get jobs.batch"),
            List.of("patch " + mr, "update " + mr, "get secrets", "update " + mr + " --subresource=status")),
        new Person("arlo-approver", RELEASE + "-migration-gate-approver",
            List.of("patch " + mr, "get configmaps", "list events"),
            List.of("create " + mr, "delete " + mr, "update configmaps", "patch " + mr + " --subresource=status")),
        new Person("val-viewer", RELEASE + "-migration-gate-viewer", List.of("list " + mr, "get configmaps"),
            List.of("patch " + mr, "create " + mr)));
    for (Person person : people) {
      client.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder()
          .withNewMetadata().withName(person.user()).withNamespace(NS).endMetadata()
          .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
          .withName(person.clusterRole()).endRoleRef()
          .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(person.user())
          .endSubject().build()).create();
    }
    // the clusterrole-aggregation controller fills edit and view a moment after helm created the roles
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      for (Person person : people) {
        for (String action : person.may()) {
          assertThat(canI(person.user(), action)).as(person.user() + " (" + person.clusterRole() + ") may " + action)
              .isEqualTo("yes");
        }
        for (String action : person.mayNot()) {
          assertThat(canI(person.user(), action)).as(person.user() + " (" + person.clusterRole() + ") may not " + action)
              .isEqualTo("no");
        }
      }
    });
  }

  static String canI(String user, String action) {
    List<String> args = new ArrayList<>(List.of("auth", "can-i"));
    args.addAll(List.of(action.split(" ")));
    args.addAll(List.of("-n", NS, "--as", user));
    return admin.run(args.toArray(String[]::new)).out().strip();
  }

  /** The Job as the operator sent it: without what the API server and the Job controller added. */
  static Job replayable(Job created) {
    Job job = Serialization.clone(created);
    job.getMetadata().setName(job.getMetadata().getName() + "-replay");
    job.getMetadata().setUid(null);
    job.getMetadata().setResourceVersion(null);
    job.getMetadata().setCreationTimestamp(null);
    job.getMetadata().setManagedFields(null);
    job.getMetadata().setGeneration(null);
    job.setStatus(null);
    job.getSpec().setSelector(null);
    for (Map<String, String> labels : List.of(job.getMetadata().getLabels(),
        job.getSpec().getTemplate().getMetadata().getLabels())) {
      labels.keySet().removeIf(k -> k.startsWith("batch.kubernetes.io/") || k.equals("controller-uid")
          || k.equals("job-name"));
    }
    return job;
  }

  /** A Pod in the restricted namespace built from the Job's pod template, as the Job controller would. */
  static Pod podOf(Job job) {
    return new PodBuilder()
        .withNewMetadata().withName(job.getMetadata().getName() + "-psa").withNamespace(RESTRICTED)
        .withLabels(job.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
        .withSpec(new io.fabric8.kubernetes.api.model.PodSpecBuilder(job.getSpec().getTemplate().getSpec()).build())
        .build();
  }

  static List<io.fabric8.kubernetes.api.model.Event> eventsOn(String request) {
    return client.v1().events().inNamespace(NS).withField("involvedObject.name", request).list().getItems();
  }

  static String operatorLogText() {
    return release.operatorLogText();
  }

  /** One rule of a live Role or ClusterRole of the release. */
  record LiveRule(String kind, String name, String namespace, int index, PolicyRule rule) {
    String resource() {
      return rule.getResources().get(0);
    }

    @Override
    public String toString() {
      return kind + " " + name + " rule " + index + ": " + rule.getApiGroups() + " " + rule.getResources() + " "
          + rule.getVerbs();
    }
  }

  /** Rules that must stay although no test here can show them missing, with the reason; none today. */
  static final Map<String, String> KEPT_WITHOUT_A_TEST = Map.of();

  @Test
  @Order(3)
  void everyRuleOfTheChartIsNeeded() throws Exception {
    String clusterRoleName = RELEASE + "-migration-gate-namespaces";
    String leaseRoleName = RELEASE + "-migration-gate-leader-election";
    String runsRoleName = RELEASE + "-migration-gate-runs";
    ClusterRole clusterRole = client.rbac().clusterRoles().withName(clusterRoleName).get();
    Role leaseRole = client.rbac().roles().inNamespace(RELEASE_NS).withName(leaseRoleName).get();
    Role runsRole = client.rbac().roles().inNamespace(RELEASE_NS).withName(runsRoleName).get();
    ClusterRole recordsClusterRole = client.rbac().clusterRoles().withName(RECORDS).get();
    Role recordsRole = client.rbac().roles().inNamespace(RELEASE_NS).withName(RECORDS).get();
    List<LiveRule> rules = new ArrayList<>();
    for (int i = 0; i < clusterRole.getRules().size(); i++) {
      rules.add(new LiveRule("ClusterRole", clusterRoleName, null, i, clusterRole.getRules().get(i)));
    }
    for (Role role : List.of(leaseRole, runsRole)) {
      for (int i = 0; i < role.getRules().size(); i++) {
        rules.add(new LiveRule("Role", role.getMetadata().getName(), RELEASE_NS, i, role.getRules().get(i)));
      }
    }
    for (int i = 0; i < recordsRole.getRules().size(); i++) {
      rules.add(new LiveRule("Role", RECORDS, RELEASE_NS, i, recordsRole.getRules().get(i)));
    }
    for (int i = 0; i < recordsClusterRole.getRules().size(); i++) {
      rules.add(new LiveRule("ClusterRole", RECORDS, null, i, recordsClusterRole.getRules().get(i)));
    }
    assertThat(rules).as("one resource per rule, so that each rule has one check")
        .allSatisfy(r -> assertThat(r.rule().getResources()).hasSize(1));

    operator.close();
    Map<String, Long> seconds = new LinkedHashMap<>();
    int run = 0;
    try {
      for (LiveRule rule : rules) {
        if (KEPT_WITHOUT_A_TEST.containsKey(rule.resource())) {
          System.out.println("RBAC: kept without a test: " + rule + " (" + KEPT_WITHOUT_A_TEST.get(rule.resource()) + ")");
          continue;
        }
        long started = System.nanoTime();
        run++;
        setRule(rule, false);
        try {
          showBroken(rule, "rbac-" + run);
        } finally {
          if (operator != null) {
            operator.close();
          }
          setRule(rule, true);
        }
        seconds.put(rule.toString(), Duration.ofNanos(System.nanoTime() - started).toSeconds());
      }
    } finally {
      client.rbac().clusterRoles().withName(clusterRoleName).edit(r -> {
        r.setRules(clusterRole.getRules());
        return r;
      });
      for (Role role : List.of(leaseRole, runsRole)) {
        client.rbac().roles().inNamespace(RELEASE_NS).withName(role.getMetadata().getName()).edit(r -> {
          r.setRules(role.getRules());
          return r;
        });
      }
      client.rbac().clusterRoles().withName(RECORDS).edit(r -> {
        r.setRules(recordsClusterRole.getRules());
        return r;
      });
      client.rbac().roles().inNamespace(RELEASE_NS).withName(RECORDS).edit(r -> {
        r.setRules(recordsRole.getRules());
        return r;
      });
      System.out.println("RBAC rule checks (seconds): " + seconds);
    }
    // with every rule back, the operator starts again
    operator = startOperator();
  }

  /** The smallest observation that shows the operator broken without {@code rule}. */
  void showBroken(LiveRule rule, String request) throws Exception {
    String resource = rule.resource();
    if (rule.name().equals(RECORDS)) {
      showNoRecord(rule, request);
      return;
    }
    switch (check(rule)) {
      case "the scripts' source" -> {
        operator = startOperator();
        submit(request);
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
            .until(() -> operatorLogText().contains("cannot get resource \"configmaps\" in API group \"\" in the namespace \""
                + NS + "\""));
        assertThat(g.phase(NS, request)).as("no plan without " + rule).isNotEqualTo("AwaitingApproval");
      }
      case "deleting a snapshot" -> {
        operator = startOperator();
        submit(request);
        g.awaitPhase(NS, request, "AwaitingApproval", Duration.ofSeconds(45));
        String snapshot = g.request(NS, request).at("/status/plan/snapshot").asText();
        require(admin.run("delete", "mr", request, "-n", NS, "--wait=false"));
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
            .until(() -> operatorLogText().contains("cannot delete resource \"configmaps\""));
        assertThat(client.configMaps().inNamespace(RELEASE_NS).withName(snapshot).get())
            .as("the snapshot stays without " + rule).isNotNull();
      }
      case "migrationrequests/status" -> {
        operator = startOperator();
        submit(request);
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
            .until(() -> operatorLogText().contains("cannot update resource \"migrationrequests/status\""));
        assertThat(g.phase(NS, request)).as("no status without " + rule).isBlank();
      }
      case "migrationtargets/status" -> {
        operator = startOperator();
        submit(request);
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
            .until(() -> operatorLogText().contains("cannot update resource \"migrationtargets/status\""));
        assertThat(admin.run("get", "migrationtarget", Targets.nameOf(g.cluster.postgres().url(
            request.replace('-', '_'))), "-o", "jsonpath={.status}").out()).as("no target status without " + rule).isBlank();
      }
      case "events" -> {
        operator = startOperator();
        submit(request);
        g.awaitPhase(NS, request, "AwaitingApproval", Duration.ofSeconds(45));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
            .until(() -> operatorLogText().contains("could not record event"));
        assertThat(eventsOn(request)).as("no Events without " + rule).isEmpty();
      }
      case "pods/log" -> {
        operator = startOperator();
        submit(request);
        g.awaitPhase(NS, request, "AwaitingApproval", Duration.ofSeconds(45));
        g.approve(NS, request);
        g.awaitPhase(NS, request, "Succeeded", Duration.ofSeconds(90));
        String evidence = g.request(NS, request).at("/status/evidence/configMap").asText();
        assertThat(evidence).isNotBlank();
        assertThat(client.configMaps().inNamespace(RELEASE_NS).withName(evidence).get().getData().get("log-tail"))
            .as("the evidence's log tail without " + rule).contains("log unavailable: 403");
      }
      case "leases" -> {
        assertThatThrownBy(() -> operator = startOperator())
            .as("the operator must not start without " + rule)
            .isInstanceOf(IllegalStateException.class);
        operator = null;
        // JOSDK checks the Lease rights (SelfSubjectRulesReview) before it starts
        assertThat(operatorLogText()).as("the operator's log without " + rule)
            .contains("No permission to lease resource");
      }
      case "namespaces", "migrationrequests", "migrationtargets", "jobs", "pods", "configmaps" -> {
        assertThatThrownBy(() -> operator = startOperator())
            .as("the operator must not start without " + rule)
            .isInstanceOf(IllegalStateException.class);
        operator = null;
        assertThat(operatorLogText()).as("the operator's log without " + rule)
            .containsPattern("(?s)forbidden.*" + java.util.regex.Pattern.quote("\"" + resource + "\""));
      }
      default -> throw new AssertionError("no check for " + rule + ": add one to HelmInstallIT, or remove the "
          + "rule from the chart if the operator does not need it");
    }
  }

  /**
   * Which check shows {@code rule} needed: the resource, but for the two rules on ConfigMaps that the
   * operator can start without (the scripts' source read in the requester's namespace, and deleting a
   * deleted request's snapshot in the runs namespace).
   */
  private static String check(LiveRule rule) {
    if (!rule.resource().equals("configmaps")) {
      return rule.resource();
    }
    if (rule.namespace() == null) {
      return "the scripts' source";
    }
    return rule.rule().getVerbs().equals(List.of("delete")) ? "deleting a snapshot" : "configmaps";
  }

  /**
   * Without a rule of the records roles, a request still runs and ends, but leaves no record and the
   * operator logs the refusal. The key is published already (by the flow above), so the keys
   * ConfigMap is emptied first: only then is its patch needed.
   */
  void showNoRecord(LiveRule rule, String request) throws Exception {
    String resource = rule.resource();
    if (resource.equals("configmaps")) {
      require(admin.run("patch", "configmap", RECORDS_KEYS, "-n", RELEASE_NS, "--type=json",
          "-p", "[{\"op\": \"remove\", \"path\": \"/data\"}]"));
    }
    operator = startOperator();
    submit(request);
    g.awaitPhase(NS, request, "AwaitingApproval", Duration.ofSeconds(45));
    g.approve(NS, request);
    g.awaitPhase(NS, request, "Succeeded", Duration.ofSeconds(90));
    String verb = resource.equals("configmaps") ? "patch" : "get";
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> operatorLogText().contains("cannot " + verb + " resource \"" + resource + "\""));
    assertThat(admin.run("get", "migrationrecord", g.uid(NS, request)).ok()).as("a record without " + rule).isFalse();
  }

  /** Removes or restores one rule, then waits until the API server's authorizer agrees. */
  static void setRule(LiveRule rule, boolean present) {
    if (rule.kind().equals("ClusterRole")) {
      client.rbac().clusterRoles().withName(rule.name()).edit(r -> {
        r.setRules(edited(r.getRules(), rule, present));
        return r;
      });
    } else {
      client.rbac().roles().inNamespace(rule.namespace()).withName(rule.name()).edit(r -> {
        r.setRules(edited(r.getRules(), rule, present));
        return r;
      });
    }
    String[] resourceAndSub = rule.resource().split("/", 2);
    String group = rule.rule().getApiGroups().get(0);
    // a rule of a Role or of the records roles is checked by its last verb, one no other rule grants
    // there (the ClusterRole grants get on ConfigMaps everywhere), and on the one object it names, if any
    List<String> verbs = rule.rule().getVerbs();
    String verb = rule.namespace() != null || rule.name().equals(RECORDS) ? verbs.get(verbs.size() - 1) : verbs.get(0);
    String named = rule.rule().getResourceNames() == null || rule.rule().getResourceNames().isEmpty() ? ""
        : "/" + rule.rule().getResourceNames().get(0);
    List<String> canI = new ArrayList<>(List.of("auth", "can-i", verb,
        (group.isEmpty() ? resourceAndSub[0] : resourceAndSub[0] + "." + group) + named, "--as", SA_USER,
        "-n", rule.namespace() == null ? NS : rule.namespace()));
    if (resourceAndSub.length > 1) {
      canI.add("--subresource=" + resourceAndSub[1]);
    }
    String expected = present ? "yes" : "no";
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> admin.run(canI.toArray(String[]::new)).out().strip().equals(expected));
  }

  static List<PolicyRule> edited(List<PolicyRule> current, LiveRule rule, boolean present) {
    List<PolicyRule> rules = current == null ? new ArrayList<>() : new ArrayList<>(current);
    if (present) {
      rules.add(Math.min(rule.index(), rules.size()), rule.rule());
    } else {
      assertThat(rules.remove(rule.index())).isEqualTo(rule.rule());
    }
    return rules;
  }
}
