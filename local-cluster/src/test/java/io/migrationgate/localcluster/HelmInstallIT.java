package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
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

  static final String RELEASE = "mg";
  static final String RELEASE_NS = "migration-gate";
  static final String SERVICE_ACCOUNT = "mg-migration-gate";
  static final String LEASE = "migration-gate-leader";
  static final String NS = "helm-shop";
  static final String PROD = "helm-shop-prod";
  static final String RESTRICTED = "psa-restricted";
  // one identity for every start: a restarted operator renews its own Lease instead of waiting it out
  static final String LEASE_IDENTITY = "out-of-cluster";
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  static final String SA_USER = "system:serviceaccount:" + RELEASE_NS + ":" + SERVICE_ACCOUNT;
  static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

  static Path workDir;
  static Path repo;
  static Path jar;
  static LocalCluster cluster;
  static KubernetesClient client;
  static Kubectl admin;
  static Kubectl requester;
  static Kubectl approver;
  static Path operatorKubeconfig;
  static OperatorProcess operator;
  static int operatorStarts;

  @BeforeAll
  static void installTheChartAndRunTheOperatorAsItsServiceAccount() throws Exception {
    workDir = Files.createTempDirectory("mg-helm-");
    repo = Path.of(System.getProperty("mg.repo", "..")).toAbsolutePath().normalize();
    jar = Path.of(System.getProperty("mg.jar", repo.resolve("operator/target/migration-gate.jar").toString()))
        .toAbsolutePath();
    // as on OpenShift and hardened clusters: blockOwnerDeletion needs update on the owner's finalizers
    cluster = LocalCluster.startWithoutOperator(workDir, jar,
        Map.of("--enable-admission-plugins", "OwnerReferencesPermissionEnforcement"));
    client = cluster.controlPlane().admin();
    admin = cluster.kubectl(LocalUser.ADMIN);
    requester = cluster.kubectl(LocalUser.REQUESTER);
    approver = cluster.kubectl(LocalUser.APPROVER);
    cluster.createNamespace(NS, Map.of("environment", "dev"));
    cluster.createNamespace(PROD, Map.of("environment", "production"));

    helm("install", RELEASE, repo.resolve("helm/migration-gate").toString(), "--namespace", RELEASE_NS,
        "--create-namespace");
    LocalCluster.awaitCrdServed(admin);
    awaitPoliciesLoaded();

    // the authorizer sees new bindings a moment after helm created them
    for (String[] canI : List.of(new String[] {"list", "migrationrequests.migrationgate.io", "-A"},
        new String[] {"list", "namespaces"}, new String[] {"patch", "leases.coordination.k8s.io", "-n", RELEASE_NS})) {
      List<String> args = new ArrayList<>(List.of("auth", "can-i", "--as", SA_USER));
      args.addAll(List.of(canI));
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
          .until(() -> admin.run(args.toArray(String[]::new)).out().strip().equals("yes"));
    }
    operatorKubeconfig = serviceAccountKubeconfig();
    Kubectl.Result whoami = new Kubectl(cluster.controlPlane().binaries().kubectl(), operatorKubeconfig)
        .run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");
    require(whoami);
    assertThat(whoami.out()).isEqualTo("system:serviceaccount:" + RELEASE_NS + ":" + SERVICE_ACCOUNT);
    operator = startOperator();
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (operator != null) {
        operator.close();
      }
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      keepLogs();
      Processes.deleteTree(workDir);
    }
  }

  static void keepLogs() throws IOException {
    if (workDir == null || !Files.isDirectory(workDir)) {
      return;
    }
    Path target = Path.of("target", "e2e-logs", "helm-install");
    try (Stream<Path> files = Files.walk(workDir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".log") && Files.isRegularFile(f)).toList()) {
        Path copy = target.resolve(workDir.relativize(file));
        Files.createDirectories(copy.getParent());
        Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  static String helm(String... args) {
    List<String> command = new ArrayList<>(List.of(cluster.controlPlane().binaries().binary("helm").toString(),
        "--kubeconfig", cluster.controlPlane().kubeconfig(LocalUser.ADMIN).toString()));
    command.addAll(List.of(args));
    return Processes.run(command, Duration.ofSeconds(120));
  }

  static void require(Kubectl.Result result) {
    assertThat(result.ok()).as(result.toString()).isTrue();
  }

  /** The production guard refuses once the API server has loaded the chart's policies. */
  static void awaitPoliciesLoaded() {
    String probe = Yaml.request(PROD, "probe", """
        workOrder: WO-0
        database: {url: "jdbc:postgresql://db:5432/db", credentialsSecret: db}
        migrations: {configMap: {name: scripts}}
        """);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> !requester.runWithInput(probe, "create", "--dry-run=server", "-f", "-").ok());
  }

  /** A kubeconfig holding a TokenRequest token of the chart's ServiceAccount, asked for by the admin. */
  static Path serviceAccountKubeconfig() throws IOException {
    Kubectl.Result token = admin.run("create", "token", SERVICE_ACCOUNT, "-n", RELEASE_NS, "--duration=2h");
    require(token);
    Config adminConfig = Config.fromKubeconfig(Files.readString(cluster.controlPlane().kubeconfig(LocalUser.ADMIN)));
    Path file = workDir.resolve("operator-service-account.kubeconfig");
    Files.writeString(file, ControlPlane.kubeconfig(adminConfig.getMasterUrl().replaceAll("/$", ""),
        adminConfig.getCaCertData(), "migration-gate-sa", token.out().strip()));
    return file;
  }

  /**
   * MG_RUNNER_IMAGE as the chart's Deployment sets it: the runner-Job policy allows only that image.
   * (The process kubelet maps any image named migration-gate to the jar.)
   */
  static String chartRunnerImage() {
    return client.apps().deployments().inNamespace(RELEASE_NS).withName(SERVICE_ACCOUNT).get().getSpec()
        .getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals("MG_RUNNER_IMAGE")).findFirst().orElseThrow().getValue();
  }

  /** Like the chart's Deployment: leader election on, the Lease in the release namespace. */
  static OperatorProcess startOperator() throws IOException {
    operatorStarts++;
    OperatorProcess process = new OperatorProcess(jar, operatorKubeconfig,
        Files.createDirectories(workDir.resolve("logs/operator-as-sa-" + operatorStarts)),
        Map.of("MG_LEADER_ELECTION", "true", "MG_LEASE_NAMESPACE", RELEASE_NS, "MG_LEASE_NAME", LEASE,
            "MG_LEASE_IDENTITY", LEASE_IDENTITY, "MG_RUNNER_IMAGE", chartRunnerImage()));
    try {
      process.start(START_TIMEOUT);
    } catch (RuntimeException e) {
      process.close(); // not ready in time: it must not linger
      throw e;
    }
    return process;
  }

  static String submit(String name, String database, String sourceYaml) throws Exception {
    String url = cluster.postgres().createDatabase(database);
    String spec = """
        workOrder: WO-42
        reason: add orders.status
        database: {url: "%s", credentialsSecret: %s-db}
        migrations: %s
        timeout: 5m
        """.formatted(url, name, sourceYaml);
    Map<String, String> scripts = new LinkedHashMap<>();
    scripts.put("V1__create_orders.sql", "create table orders (id bigint primary key);\n");
    scripts.put("V2__add_status.sql", "alter table orders add column status text not null default 'new';\n");
    String yaml = String.join("---\n",
        Yaml.secret(NS, name + "-db", LocalPostgres.MIGRATOR, cluster.postgres().password()),
        Yaml.scripts(NS, name + "-scripts", scripts),
        Yaml.request(NS, name, spec));
    require(requester.runWithInput(yaml, "apply", "-f", "-"));
    return database;
  }

  static String phase(String name) {
    return admin.run("get", "mr", name, "-n", NS, "-o", "jsonpath={.status.phase}").out();
  }

  static void awaitPhase(String name, String phase, Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(phase(name)).as(name).isEqualTo(phase));
  }

  static void approve(String name) {
    require(approver.run("annotate", "mr", name, "-n", NS,
        "migrationgate.io/approved-by=" + LocalUser.APPROVER.userName()));
  }

  /** status.job.name of a request; blank until the operator launched its Job. */
  static String jobName(String request) {
    return admin.run("get", "mr", request, "-n", NS, "-o", "jsonpath={.status.job.name}").out();
  }

  @Test
  @Order(1)
  void theChartsServiceAccountIsEnoughForTheWholeFlow() throws Exception {
    assertThat(client.pods().inNamespace(RELEASE_NS).list().getItems())
        .as("the chart's Deployment must not run pods here").isEmpty();
    assertThat(client.apps().deployments().inNamespace(RELEASE_NS).withName(SERVICE_ACCOUNT).get()).isNotNull();

    String database = submit("orders-add-status", "orders_helm", "{configMap: {name: orders-add-status-scripts}}");
    awaitPhase("orders-add-status", "AwaitingApproval", Duration.ofSeconds(90));
    approve("orders-add-status");
    Kubectl.Result ready = requester.run("wait", "--for=condition=Ready", "mr/orders-add-status", "-n", NS,
        "--timeout=180s");
    assertThat(ready.ok()).as(ready + "\n" + admin.run("get", "mr,jobs,pods", "-n", NS, "-o", "yaml").out()).isTrue();
    assertThat(phase("orders-add-status")).isEqualTo("Succeeded");

    try (Connection db = cluster.postgres().connect(database); Statement sql = db.createStatement();
        ResultSet columns = sql.executeQuery("select count(*) from information_schema.columns "
            + "where table_name = 'orders' and column_name = 'status'")) {
      assertThat(columns.next()).isTrue();
      assertThat(columns.getInt(1)).isEqualTo(1);
    }
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

    // every Job as it was created: the operator deletes the image source's Job once its pod reports
    // an image pull failure (the process kubelet knows no such image), maybe before a get could see it
    Map<String, Job> seen = new java.util.concurrent.ConcurrentHashMap<>();
    try (var informer = client.batch().v1().jobs().inNamespace(NS).inform(new ResourceEventHandler<Job>() {
      @Override
      public void onAdd(Job job) {
        seen.putIfAbsent(job.getMetadata().getName(), job);
      }

      @Override
      public void onUpdate(Job before, Job after) {
        seen.putIfAbsent(after.getMetadata().getName(), after);
      }

      @Override
      public void onDelete(Job job, boolean unknownFinalState) {
        seen.putIfAbsent(job.getMetadata().getName(), job);
      }
    })) {
      submit("from-image", "from_image", "{image: {ref: \"registry.example/orders-migrations@" + DIGEST + "\"}}");
      awaitPhase("from-image", "AwaitingApproval", Duration.ofSeconds(90));
      approve("from-image");
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
          .until(() -> seen.containsKey(jobName("from-image")));
    }
    Job fromConfigMap = seen.get(jobName("orders-add-status"));
    Job fromImage = seen.get(jobName("from-image"));
    assertThat(fromConfigMap).isNotNull();
    assertThat(fromImage.getSpec().getTemplate().getSpec().getInitContainers())
        .as("an image source copies its scripts in an init container").isNotEmpty();

    for (Job job : List.of(fromConfigMap, fromImage)) {
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
    Kubectl asOperator = new Kubectl(cluster.controlPlane().binaries().kubectl(), operatorKubeconfig);
    for (Job job : List.of(fromConfigMap, fromImage)) {
      require(asOperator.runWithInput(Serialization.asYaml(replayable(job)), "create", "--dry-run=server", "-f", "-"));
      Job otherImage = replayable(job);
      otherImage.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.example/miner:1");
      Kubectl.Result refused = asOperator.runWithInput(Serialization.asYaml(otherImage), "create", "--dry-run=server",
          "-f", "-");
      assertThat(refused.ok()).as(refused.toString()).isFalse();
      assertThat(refused.err()).contains("runs one container, runner, with the image " + chartRunnerImage());
    }
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

  static Path operatorLog() {
    return workDir.resolve("logs/operator-as-sa-" + operatorStarts + "/operator-1.log");
  }

  static String operatorLogText() {
    try {
      return Files.isRegularFile(operatorLog()) ? Files.readString(operatorLog()) : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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
    ClusterRole clusterRole = client.rbac().clusterRoles().withName(clusterRoleName).get();
    Role leaseRole = client.rbac().roles().inNamespace(RELEASE_NS).withName(leaseRoleName).get();
    List<LiveRule> rules = new ArrayList<>();
    for (int i = 0; i < clusterRole.getRules().size(); i++) {
      rules.add(new LiveRule("ClusterRole", clusterRoleName, null, i, clusterRole.getRules().get(i)));
    }
    for (int i = 0; i < leaseRole.getRules().size(); i++) {
      rules.add(new LiveRule("Role", leaseRoleName, RELEASE_NS, i, leaseRole.getRules().get(i)));
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
      client.rbac().roles().inNamespace(RELEASE_NS).withName(leaseRoleName).edit(r -> {
        r.setRules(leaseRole.getRules());
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
    switch (resource) {
      case "migrationrequests/status" -> {
        operator = startOperator();
        submit(request, request.replace('-', '_'), "{configMap: {name: " + request + "-scripts}}");
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
            .until(() -> operatorLogText().contains("cannot update resource \"migrationrequests/status\""));
        assertThat(phase(request)).as("no status without " + rule).isBlank();
      }
      case "migrationrequests/finalizers" -> {
        // only the OwnerReferencesPermissionEnforcement admission plugin (on here) asks for it
        operator = startOperator();
        submit(request, request.replace('-', '_'), "{configMap: {name: " + request + "-scripts}}");
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
            .until(() -> operatorLogText().contains("cannot set blockOwnerDeletion"));
        String uid = admin.run("get", "mr", request, "-n", NS, "-o", "jsonpath={.metadata.uid}").out();
        assertThat(client.configMaps().inNamespace(NS).withLabel("migrationgate.io/request-uid", uid).list().getItems())
            .as("no snapshot without " + rule).isEmpty();
        assertThat(phase(request)).as(request).isNotEqualTo("AwaitingApproval");
      }
      case "events" -> {
        operator = startOperator();
        submit(request, request.replace('-', '_'), "{configMap: {name: " + request + "-scripts}}");
        awaitPhase(request, "AwaitingApproval", Duration.ofSeconds(45));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
            .until(() -> operatorLogText().contains("could not record event"));
        assertThat(eventsOn(request)).as("no Events without " + rule).isEmpty();
      }
      case "pods/log" -> {
        operator = startOperator();
        submit(request, request.replace('-', '_'), "{configMap: {name: " + request + "-scripts}}");
        awaitPhase(request, "AwaitingApproval", Duration.ofSeconds(45));
        approve(request);
        awaitPhase(request, "Succeeded", Duration.ofSeconds(90));
        String evidence = admin.run("get", "mr", request, "-n", NS, "-o", "jsonpath={.status.evidence.configMap}").out();
        assertThat(evidence).isNotBlank();
        assertThat(client.configMaps().inNamespace(NS).withName(evidence).get().getData().get("log-tail"))
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
      case "namespaces", "migrationrequests", "jobs", "pods", "configmaps" -> {
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
    List<String> canI = new ArrayList<>(List.of("auth", "can-i", rule.rule().getVerbs().get(0),
        group.isEmpty() ? resourceAndSub[0] : resourceAndSub[0] + "." + group, "--as", SA_USER,
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
