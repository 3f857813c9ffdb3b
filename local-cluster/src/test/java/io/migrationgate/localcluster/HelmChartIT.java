package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart as the real helm lints and renders it, for the default values and the value sets
 * that change what is rendered; the rendered YAML is read back with fabric8 and checked object by
 * object. A bad value must be refused by values.schema.json with a message naming the field.
 * Needs only the helm binary (from local-cluster/kube-binaries.sh); a missing one fails loudly.
 */
class HelmChartIT {

  static final String RELEASE_NS = "migration-gate";
  static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);
  static final String MUTATING_ADMISSION_POLICY = "admissionregistration.k8s.io/v1/MutatingAdmissionPolicy";
  static final String OPERATOR_CLUSTER_ROLE = "mg-migration-gate-namespaces";
  static final String INSTALLATION_MARKER = "migration-gate-installation";
  /** The operator's Role for its signing key and public keys, and its ClusterRole for MigrationRecords. */
  static final String RECORDS = "mg-migration-gate-records";
  static final String DECLARE_YOURSELF =
      "request.operation != 'CREATE' || variables.newRequester == request.userInfo.username";
  static Path helm;
  static Path chart;

  @BeforeAll
  static void helmAndChart() {
    helm = KubeBinaries.locate(System.getenv()).binary("helm");
    Path repo = ChartRelease.repo();
    chart = repo.resolve("helm/migration-gate");
  }

  static String helm(String... args) {
    List<String> command = new ArrayList<>(List.of(helm.toString()));
    command.addAll(List.of(args));
    return Processes.run(command, Duration.ofSeconds(60));
  }

  /**
   * {@code helm template} with {@code --set} pairs, parsed into objects, as for a Kubernetes 1.36
   * cluster: one that serves MutatingAdmissionPolicy, which helm does not know offline.
   */
  static List<KubernetesResource> render(String... sets) {
    return renderFor(List.of("--api-versions", MUTATING_ADMISSION_POLICY), sets);
  }

  /** {@code helm template} with {@code capabilities} (--api-versions, --kube-version) and {@code --set} pairs. */
  static List<KubernetesResource> renderFor(List<String> capabilities, String... sets) {
    List<String> args = new ArrayList<>(List.of("template", "mg", chart.toString(), "--namespace", RELEASE_NS,
        "--include-crds"));
    args.addAll(capabilities);
    for (String set : sets) {
      args.add("--set");
      args.add(set);
    }
    return parse(helm(args.toArray(String[]::new)));
  }

  static List<KubernetesResource> parse(String yaml) {
    List<KubernetesResource> objects = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
        objects.add(Serialization.unmarshal(doc));
      }
    }
    return objects;
  }

  static String kind(KubernetesResource object) {
    return ((HasMetadata) object).getKind();
  }

  static <T> List<T> all(List<KubernetesResource> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static List<String> kinds(List<KubernetesResource> objects) {
    return objects.stream().map(HelmChartIT::kind).toList();
  }

  static Deployment deployment(List<KubernetesResource> objects) {
    List<Deployment> deployments = all(objects, Deployment.class);
    assertThat(deployments).hasSize(1);
    return deployments.get(0);
  }

  static Container operator(List<KubernetesResource> objects) {
    return deployment(objects).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static Map<String, String> env(List<KubernetesResource> objects) {
    return operator(objects).getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  /** The operator's ClusterRole (the others are for people). */
  static ClusterRole clusterRole(List<KubernetesResource> objects) {
    return clusterRole(objects, OPERATOR_CLUSTER_ROLE);
  }

  static ClusterRole clusterRole(List<KubernetesResource> objects, String name) {
    List<ClusterRole> roles = all(objects, ClusterRole.class).stream()
        .filter(r -> r.getMetadata().getName().equals(name)).toList();
    assertThat(roles).as(name).hasSize(1);
    return roles.get(0);
  }

  static Stream<PolicyRule> allRules(List<KubernetesResource> objects) {
    return Stream.concat(all(objects, ClusterRole.class).stream().flatMap(r -> r.getRules().stream()),
        all(objects, Role.class).stream().flatMap(r -> r.getRules().stream()));
  }

  static boolean grants(List<PolicyRule> rules, String resource) {
    return rules.stream().anyMatch(r -> r.getResources().contains(resource));
  }

  /** Objects of a kind, whether fabric8 has a model class for it or reads it generically. */
  static List<HasMetadata> ofKind(List<KubernetesResource> objects, String kind) {
    return all(objects, HasMetadata.class).stream().filter(o -> kind.equals(o.getKind())).toList();
  }

  @Test
  void lintPassesForTheDefaultsAndEveryValueSetTested() {
    for (List<String> sets : List.of(List.<String>of(), List.of("watchNamespaces={a,b}"),
        List.of("leaderElection.enabled=false"), List.of("approval.stampRequestedBy=false"),
        List.of("approval.policy.enabled=false", "approval.blockProductionAtAdmission=false",
            "statusPolicy.enabled=false", "runnerJobPolicy.enabled=false"),
        List.of("approval.serviceAccountApprovers={system:serviceaccount:ci:release-bot}"),
        List.of("blockedNamespaces.matchLabels=null", "blockedNamespaces.matchExpressions[0].key=tier",
            "blockedNamespaces.matchExpressions[0].operator=In", "blockedNamespaces.matchExpressions[0].values={prod}"),
        List.of("image.digest=" + DIGEST), List.of("global.imageRegistry=registry.example"),
        List.of("metrics.service.enabled=true"), List.of("metrics.serviceMonitor.enabled=true",
            "metrics.serviceMonitor.labels.release=prometheus"),
        List.of("replicaCount=1"), List.of("podDisruptionBudget.enabled=false"),
        List.of("imagePullSecrets[0].name=regcred", "podLabels.team=payments", "podAnnotations.note=x",
            "priorityClassName=system-cluster-critical", "nodeSelector.pool=ops",
            "tolerations[0].key=dedicated", "tolerations[0].operator=Exists"),
        List.of("rbac.userRoles.create=false"), List.of("rbac.userRoles.aggregateToBuiltInRoles=false"))) {
      List<String> args = new ArrayList<>(List.of("lint", "--strict", chart.toString()));
      sets.forEach(s -> {
        args.add("--set");
        args.add(s);
      });
      assertThat(helm(args.toArray(String[]::new))).as(sets.toString()).contains("0 chart(s) failed");
    }
  }

  @Test
  void defaultsRenderTwoRestrictedReplicasWithProbesAndClusterWideRules() {
    List<KubernetesResource> objects = render();
    assertThat(kinds(objects)).contains("CustomResourceDefinition", "ServiceAccount", "ClusterRole",
        "ClusterRoleBinding", "Role", "RoleBinding", "Deployment");

    Deployment deployment = deployment(objects);
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo(RELEASE_NS);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("mg-migration-gate");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getTerminationGracePeriodSeconds())
        .as("Kubernetes waits longer than the operator's 30 s for reconciles in flight").isGreaterThan(30L);
    Container container = operator(objects);
    assertThat(container.getArgs()).containsExactly("operator");
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getImage()).matches("[^@]+/migration-gate:[^:@/]+");
    assertThat(container.getResources().getLimits()).containsKey("memory");

    Map<String, String> env = env(objects);
    assertThat(env).containsEntry("MG_WATCH_NAMESPACES", "").containsEntry("MG_LEADER_ELECTION", "true")
        .containsEntry("MG_LEASE_NAME", "migration-gate-leader").containsEntry("MG_RUNNER_IMAGE", container.getImage())
        .containsEntry("MG_BLOCKED_NAMESPACE_SELECTOR", "environment=production")
        .containsEntry("MG_APPROVER_SERVICE_ACCOUNTS", "");
    assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("MG_LEASE_NAMESPACE"))
        .singleElement().satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath())
            .isEqualTo("metadata.namespace"));

    assertThat(env).containsEntry("MG_RUNS_NAMESPACE", RELEASE_NS).containsEntry("MG_INLINE_DATABASES", "false");

    // cluster-wide only what requests need (their namespaces' labels, targets, the scripts' source);
    // Jobs, pods, logs, snapshots and evidence only in the runs namespace, with inline databases off
    List<PolicyRule> clusterRules = clusterRole(objects).getRules();
    assertThat(grants(clusterRules, "namespaces")).isTrue();
    assertThat(grants(clusterRules, "migrationrequests")).isTrue();
    assertThat(grants(clusterRules, "migrationtargets")).isTrue();
    assertThat(grants(clusterRules, "migrationrequests/finalizers")).as("no owner references with targets only").isFalse();
    assertThat(grants(clusterRules, "jobs")).as("no Jobs outside the runs namespace").isFalse();
    assertThat(grants(clusterRules, "pods")).as("no pods outside the runs namespace").isFalse();
    assertThat(grants(clusterRules, "pods/log")).as("no logs outside the runs namespace").isFalse();
    assertThat(clusterRules).filteredOn(r -> r.getResources().contains("configmaps")).singleElement()
        .satisfies(rule -> assertThat(rule.getVerbs()).as("the scripts' source, read").containsExactly("get"));
    assertThat(all(objects, Role.class)).extracting(r -> r.getMetadata().getName()).containsExactlyInAnyOrder(
        "mg-migration-gate-leader-election", "mg-migration-gate-runs", "mg-migration-gate-runs-reader", RECORDS);
    assertThat(all(objects, Role.class)).filteredOn(r -> r.getMetadata().getName().endsWith("-runs")).singleElement()
        .satisfies(role -> assertThat(role.getRules()).extracting(r -> r.getResources() + " " + r.getVerbs())
            .containsExactly("[jobs] [get, list, watch, create, delete, patch]", "[pods] [get, list, watch]",
                "[pods/log] [get]", "[configmaps] [get, list, watch, create]", "[configmaps] [delete]"));
    // inline databases put Jobs beside their requests, in any namespace
    assertThat(grants(clusterRole(render("inlineDatabases.enabled=true")).getRules(), "jobs")).isTrue();
    assertThat(all(objects, Role.class)).filteredOn(r -> r.getMetadata().getName().endsWith("-leader-election"))
        .singleElement().satisfies(role -> {
      assertThat(role.getMetadata().getNamespace()).isEqualTo(RELEASE_NS);
      assertThat(role.getRules()).singleElement().satisfies(rule -> {
        assertThat(rule.getResources()).containsExactly("leases");
        assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "create", "update", "patch");
      });
    });

    assertThat(ofKind(objects, "ValidatingAdmissionPolicy")).extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("mg-migration-gate-approvals", "mg-migration-gate-production-guard",
            "mg-migration-gate-status", "mg-migration-gate-runner-jobs", "mg-migration-gate-targets",
            "mg-migration-gate-inline-databases", "mg-migration-gate-approval-rules", "mg-migration-gate-target-status",
            RECORDS);
    assertThat(ofKind(objects, "ValidatingAdmissionPolicyBinding")).hasSize(9);
    assertThat(ofKind(objects, "MutatingAdmissionPolicy")).hasSize(1);
    assertThat(ofKind(objects, "MutatingAdmissionPolicyBinding")).hasSize(1);
  }

  @Test
  void noRuleEverGrantsSecretsWildcardsOrRbac() {
    for (String[] sets : List.of(new String[0], new String[] {"watchNamespaces={a,b}"})) {
      List<PolicyRule> rules = allRules(render(sets)).toList();
      assertThat(rules).isNotEmpty();
      for (PolicyRule rule : rules) {
        assertThat(rule.getVerbs()).as(rule.toString()).doesNotContain("*", "escalate", "bind", "impersonate");
        assertThat(rule.getApiGroups()).as(rule.toString()).doesNotContain("*", "rbac.authorization.k8s.io");
        assertThat(rule.getResources()).as(rule.toString()).doesNotContain("*").noneMatch(r -> r.startsWith("secrets/"));
      }
      // one Secret, by name: the record signing key (docs/operations.md, "RBAC")
      assertThat(rules).filteredOn(rule -> rule.getResources().contains("secrets")).singleElement().satisfies(rule -> {
        assertThat(rule.getVerbs()).containsExactly("get");
        assertThat(rule.getResourceNames()).containsExactly("mg-migration-gate-record-signing-key");
      });
      assertThat(rules).filteredOn(rule -> rule.getResourceNames() != null && !rule.getResourceNames().isEmpty())
          .extracting(rule -> rule.getResources().get(0) + " " + rule.getResourceNames() + " " + rule.getVerbs())
          .containsExactlyInAnyOrder("secrets [mg-migration-gate-record-signing-key] [get]",
              "configmaps [mg-migration-gate-record-keys] [get, patch]",
              "configmaps [mg-migration-gate-record-keys] [get]");
    }
  }

  @Test
  void watchNamespacesGetRolesThereAndTheClusterRoleKeepsOnlyNamespaces() {
    List<KubernetesResource> objects = render("watchNamespaces={a,b}");
    assertThat(clusterRole(objects).getRules()).extracting(PolicyRule::getResources)
        .containsExactly(List.of("namespaces"), List.of("migrationtargets"), List.of("migrationtargets/status"));

    List<Role> watched = all(objects, Role.class).stream().filter(r -> grants(r.getRules(), "migrationrequests")).toList();
    assertThat(watched).extracting(r -> r.getMetadata().getNamespace()).containsExactlyInAnyOrder("a", "b");
    List<PolicyRule> defaultRules = clusterRole(render()).getRules().stream()
        .filter(r -> !r.getResources().contains("namespaces") && !r.getResources().get(0).startsWith("migrationtargets"))
        .toList();
    for (Role role : watched) {
      assertThat(role.getRules()).as(role.getMetadata().getNamespace()).isEqualTo(defaultRules);
    }
    List<RoleBinding> bindings = all(objects, RoleBinding.class).stream()
        .filter(b -> b.getMetadata().getNamespace().matches("a|b")).toList();
    assertThat(bindings).hasSize(2).allSatisfy(binding -> {
      assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
        assertThat(subject.getKind()).isEqualTo("ServiceAccount");
        assertThat(subject.getName()).isEqualTo("mg-migration-gate");
        assertThat(subject.getNamespace()).isEqualTo(RELEASE_NS);
      });
    });
    assertThat(env(objects)).containsEntry("MG_WATCH_NAMESPACES", "a,b");
  }

  @Test
  void withoutLeaderElectionThereIsNoLeaseRole() {
    List<KubernetesResource> objects = render("leaderElection.enabled=false");
    assertThat(allRules(objects)).noneMatch(rule -> rule.getResources().contains("leases"));
    assertThat(all(objects, Role.class)).extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder("mg-migration-gate-runs", "mg-migration-gate-runs-reader", RECORDS);
    assertThat(all(objects, RoleBinding.class)).extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder("mg-migration-gate-runs", RECORDS);
    assertThat(env(objects)).containsEntry("MG_LEADER_ELECTION", "false");
  }

  @Test
  void theDatabasePlanIsOnUnlessThePlatformTurnsItOff() {
    assertThat(env(render())).containsEntry("MG_DATABASE_PLAN", "true");
    assertThat(env(render("databasePlan.enabled=false"))).containsEntry("MG_DATABASE_PLAN", "false");
  }

  @Test
  void theLogFormatReachesTheOperatorAndOnlyTextOrJsonIsAccepted() {
    assertThat(env(render())).containsEntry("MG_LOG_FORMAT", "text");
    assertThat(env(render("logFormat=json"))).containsEntry("MG_LOG_FORMAT", "json");
    assertThatThrownBy(() -> render("logFormat=yaml")).hasMessageContaining("/logFormat");
  }

  @Test
  void everyReleaseClaimsTheSameClusterWideNameSoASecondOneCannotInstall() {
    // the name does not follow the release: two releases render the same object, and helm or the
    // API server refuses the second (HelmInstallIT shows helm's refusal on a cluster)
    for (List<KubernetesResource> objects : List.of(render(), render("rbac.create=false", "rbac.userRoles.create=false"),
        parse(helm("template", "team-b", chart.toString(), "--namespace", "team-b")))) {
      ClusterRole marker = clusterRole(objects, INSTALLATION_MARKER);
      assertThat(marker.getRules()).as("the marker grants nothing").isEmpty();
    }
  }

  @Test
  void theLogLevelReachesTheOperatorAndOnlyTheOperatorsLevelsAreAccepted() {
    assertThat(env(render())).containsEntry("MG_LOG_LEVEL", "INFO");
    assertThat(env(render("logLevel=DEBUG"))).containsEntry("MG_LOG_LEVEL", "DEBUG");
    // the operator refuses anything else at start-up; the schema refuses it at install
    assertThatThrownBy(() -> render("logLevel=verbose")).hasMessageContaining("/logLevel");
  }

  @Test
  void withoutStampingTheCreatorMustDeclareThemselves() {
    List<KubernetesResource> objects = render("approval.stampRequestedBy=false");
    assertThat(ofKind(objects, "MutatingAdmissionPolicy")).isEmpty();
    assertThat(ofKind(objects, "MutatingAdmissionPolicyBinding")).isEmpty();
    assertThat(validations(objects, "mg-migration-gate-approvals")).contains(DECLARE_YOURSELF);
    // with stamping on (the default) that rule is absent: the API server writes requested-by itself
    assertThat(validations(render(), "mg-migration-gate-approvals"))
        .noneMatch(v -> v.contains("request.operation != 'CREATE'"));
  }

  @Test
  void aParentChartMayPassGlobalValues() throws Exception {
    Path parent = Files.createTempDirectory("mg-parent-chart-");
    try {
      Files.writeString(parent.resolve("Chart.yaml"), """
          apiVersion: v2
          name: platform
          version: 1.0.0
          dependencies:
          - name: migration-gate
            version: "*"
          """);
      Files.writeString(parent.resolve("values.yaml"), """
          global:
            imageRegistry: registry.example
          migration-gate:
            replicaCount: 3
          """);
      copyTree(chart, parent.resolve("charts/migration-gate"));
      String yaml = helm("template", "platform", parent.toString(), "--namespace", RELEASE_NS);
      assertThat(deployment(parse(yaml)).getSpec().getReplicas()).isEqualTo(3);
      assertThat(helm("lint", "--strict", "--with-subcharts", parent.toString())).contains("0 chart(s) failed");
    } finally {
      Processes.deleteTree(parent);
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }

  @Test
  void theMetricsServiceAndServiceMonitorAreOffByDefaultAndFindThePods() {
    assertThat(kinds(render())).doesNotContain("Service", "ServiceMonitor");

    List<KubernetesResource> serviceOnly = render("metrics.service.enabled=true", "metrics.port=9090");
    assertThat(ofKind(serviceOnly, "ServiceMonitor")).isEmpty();
    Service service = all(serviceOnly, Service.class).get(0);
    assertThat(service.getMetadata().getNamespace()).isEqualTo(RELEASE_NS);
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getName()).isEqualTo("http-metrics");
      assertThat(port.getPort()).isEqualTo(9090);
      assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
    });
    assertThat(operator(serviceOnly).getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getName()).isEqualTo("http"));
    assertThat(podLabels(serviceOnly)).containsAllEntriesOf(service.getSpec().getSelector());

    // a ServiceMonitor needs the Service, so it brings it along
    List<KubernetesResource> monitored = render("metrics.serviceMonitor.enabled=true",
        "metrics.serviceMonitor.labels.release=prometheus", "metrics.serviceMonitor.interval=1m");
    Service monitoredService = all(monitored, Service.class).get(0);
    Map<String, Object> monitor = spec(monitored, "ServiceMonitor", "mg-migration-gate");
    assertThat(ofKind(monitored, "ServiceMonitor").get(0).getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(ofKind(monitored, "ServiceMonitor").get(0).getMetadata().getLabels()).containsEntry("release", "prometheus");
    assertThat(Map.<String, Object>copyOf(monitoredService.getMetadata().getLabels()))
        .containsAllEntriesOf(mapAt(monitor, "selector", "matchLabels"));
    assertThat(mapAt(monitor, "namespaceSelector")).isEqualTo(Map.of("matchNames", List.of(RELEASE_NS)));
    assertThat(listAt(monitor, "endpoints")).singleElement().isEqualTo(Map.of("port", "http-metrics",
        "path", "/metrics", "interval", "1m", "scrapeTimeout", "10s"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> mapAt(Map<String, Object> map, String... keys) {
    Map<String, Object> at = map;
    for (String key : keys) {
      at = (Map<String, Object>) at.get(key);
    }
    return at;
  }

  @SuppressWarnings("unchecked")
  static List<Object> listAt(Map<String, Object> map, String key) {
    return (List<Object>) map.get(key);
  }

  static Map<String, String> podLabels(List<KubernetesResource> objects) {
    return deployment(objects).getSpec().getTemplate().getMetadata().getLabels();
  }

  @Test
  void twoOrMoreReplicasGetADisruptionBudgetOfOnePodAtATime() {
    List<KubernetesResource> objects = render();
    PodDisruptionBudget budget = all(objects, PodDisruptionBudget.class).get(0);
    assertThat(budget.getMetadata().getNamespace()).isEqualTo(RELEASE_NS);
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(budget.getSpec().getMinAvailable()).isNull();
    assertThat(budget.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
    assertThat(budget.getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment(objects).getSpec().getSelector().getMatchLabels());
    assertThat(all(render("replicaCount=3"), PodDisruptionBudget.class)).hasSize(1);

    assertThat(all(render("replicaCount=1"), PodDisruptionBudget.class))
        .as("one replica: a budget could only block node drains").isEmpty();
    assertThat(all(render("podDisruptionBudget.enabled=false"), PodDisruptionBudget.class)).isEmpty();
  }

  @Test
  void podSchedulingAndPullValuesReachThePodTemplate() {
    List<KubernetesResource> objects = render("imagePullSecrets[0].name=regcred", "podLabels.team=payments",
        "podAnnotations.owner=dba", "priorityClassName=system-cluster-critical", "nodeSelector.pool=ops",
        "tolerations[0].key=dedicated", "tolerations[0].operator=Exists",
        "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]"
            + ".matchExpressions[0].key=zone",
        "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]"
            + ".matchExpressions[0].operator=Exists");
    Deployment deployment = deployment(objects);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getImagePullSecrets()).extracting(s -> s.getName()).containsExactly("regcred");
    assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
    assertThat(pod.getNodeSelector()).containsExactly(Map.entry("pool", "ops"));
    assertThat(pod.getTolerations()).singleElement().satisfies(t -> {
      assertThat(t.getKey()).isEqualTo("dedicated");
      assertThat(t.getOperator()).isEqualTo("Exists");
    });
    assertThat(pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms().get(0).getMatchExpressions().get(0).getKey()).isEqualTo("zone");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("owner", "dba");
    assertThat(podLabels(objects)).containsEntry("team", "payments");
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .as("the selector is immutable: extra pod labels stay out of it").doesNotContainKey("team");

    PodSpec plain = deployment(render()).getSpec().getTemplate().getSpec();
    assertThat(plain.getContainers().get(0).getEnv()).as("the image's JVM flags stand alone by default")
        .noneMatch(e -> "JDK_JAVA_OPTIONS".equals(e.getName()))
        .contains(new EnvVar("MG_RECONCILE_THREADS", "10", null));
    assertThat(deployment(render("jvmOptions=-XX:MaxRAMPercentage=60")).getSpec().getTemplate().getSpec()
        .getContainers().get(0).getEnv()).contains(new EnvVar("JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=60", null));
    assertThat(plain.getImagePullSecrets()).isNullOrEmpty();
    assertThat(plain.getPriorityClassName()).isNull();
    assertThat(plain.getNodeSelector()).isNullOrEmpty();

    assertThatThrownBy(() -> render("podLabels.app\\.kubernetes\\.io/instance=other"))
        .hasMessageContaining("podLabels.app.kubernetes.io/instance: the chart sets this label itself");
  }

  static final String AGGREGATE = "rbac.authorization.k8s.io/aggregate-to-";

  static Map<String, String> aggregationLabels(ClusterRole role) {
    return role.getMetadata().getLabels().entrySet().stream().filter(e -> e.getKey().startsWith(AGGREGATE))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  static List<String> verbsOn(ClusterRole role, String resource) {
    return role.getRules().stream().filter(r -> r.getResources().contains(resource))
        .flatMap(r -> r.getVerbs().stream()).toList();
  }

  @Test
  void peoplesRolesJoinTheBuiltInRolesExceptTheApprover() {
    List<KubernetesResource> objects = render();
    ClusterRole viewer = clusterRole(objects, "mg-migration-gate-viewer");
    ClusterRole requester = clusterRole(objects, "mg-migration-gate-requester");
    ClusterRole approver = clusterRole(objects, "mg-migration-gate-approver");
    assertThat(aggregationLabels(viewer)).containsOnlyKeys(AGGREGATE + "view", AGGREGATE + "edit", AGGREGATE + "admin")
        .containsValues("true");
    assertThat(aggregationLabels(requester)).containsOnlyKeys(AGGREGATE + "edit", AGGREGATE + "admin");
    assertThat(aggregationLabels(approver)).as("approving is never part of a built-in role").isEmpty();

    assertThat(verbsOn(viewer, "migrationrequests")).containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(verbsOn(requester, "migrationrequests"))
        .containsExactlyInAnyOrder("create", "delete", "get", "list", "watch");
    assertThat(verbsOn(requester, "configmaps")).contains("create", "update", "delete");
    assertThat(verbsOn(requester, "pods/log")).containsExactly("get", "list", "watch");
    assertThat(verbsOn(approver, "migrationrequests")).containsExactlyInAnyOrder("get", "list", "watch", "patch");
    assertThat(verbsOn(approver, "configmaps")).containsExactlyInAnyOrder("get", "list", "watch");
    for (ClusterRole role : List.of(viewer, requester, approver)) {
      assertThat(verbsOn(role, "migrationrequests/status")).as("status is the operator's").isEmpty();
      assertThat(verbsOn(role, "secrets")).as("credentials bypass the gate").isEmpty();
    }

    for (String never : List.of("mg-migration-gate-platform-engineer", "mg-migration-gate-target-reader")) {
      assertThat(aggregationLabels(clusterRole(objects, never))).as(never + " joins no built-in role").isEmpty();
      assertThat(verbsOn(clusterRole(objects, never), "secrets")).as("credentials bypass the gate").isEmpty();
    }
    assertThat(verbsOn(clusterRole(objects, "mg-migration-gate-target-reader"), "migrationtargets"))
        .containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(all(render("rbac.userRoles.aggregateToBuiltInRoles=false"), ClusterRole.class))
        .hasSize(9).allSatisfy(role -> assertThat(aggregationLabels(role)).isEmpty());
    assertThat(all(render("rbac.userRoles.create=false"), ClusterRole.class)).extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder(OPERATOR_CLUSTER_ROLE, INSTALLATION_MARKER, RECORDS);
  }

  @Test
  void withoutMutatingAdmissionPolicyServedTheCreatorDeclaresThemselves() {
    // helm template without --api-versions, like an older cluster: no MutatingAdmissionPolicy
    List<KubernetesResource> older = renderFor(List.of("--kube-version", "1.34.0"));
    assertThat(ofKind(older, "MutatingAdmissionPolicy")).isEmpty();
    assertThat(ofKind(older, "MutatingAdmissionPolicyBinding")).isEmpty();
    assertThat(validations(older, "mg-migration-gate-approvals")).contains(DECLARE_YOURSELF);

    List<KubernetesResource> served = render();
    assertThat(ofKind(served, "MutatingAdmissionPolicy")).hasSize(1);
    assertThat(validations(served, "mg-migration-gate-approvals")).doesNotContain(DECLARE_YOURSELF);

    // a request without requested-by cannot be approved; the refusal says how this cluster records it
    assertThat(messages(older, "mg-migration-gate-approvals")).anyMatch(m -> m.contains(
        "nobody may approve it; create it again with migrationgate.io/requested-by set to the username of its creator"));
    assertThat(messages(served, "mg-migration-gate-approvals")).anyMatch(m -> m.contains(
        "nobody may approve it; create it again, and the API server records its creator in migrationgate.io/requested-by"));
  }

  @Test
  void kubeVersionIsTheOldestTestedMinorUp() {
    // the e2e subset runs on 1.34 (local-cluster/pom.xml, profile older-kubernetes); nothing older is tried
    assertThatThrownBy(() -> renderFor(List.of("--kube-version", "1.33.9")))
        .hasMessageContaining("chart requires kubeVersion: >=1.34.0-0");
    assertThat(helm("lint", "--strict", "--kube-version", "1.34.0", chart.toString())).contains("0 chart(s) failed");
  }

  static List<String> validations(List<KubernetesResource> objects, String policy) {
    return expressions(objects, "ValidatingAdmissionPolicy", policy, "validations");
  }

  static List<String> messages(List<KubernetesResource> objects, String policy) {
    return fields(objects, "ValidatingAdmissionPolicy", policy, "validations", "messageExpression");
  }

  /** The {@code expression}s in {@code spec.<list>} of a policy or binding, read generically. */
  static List<String> expressions(List<KubernetesResource> objects, String kind, String name, String list) {
    return fields(objects, kind, name, list, "expression");
  }

  @SuppressWarnings("unchecked")
  static List<String> fields(List<KubernetesResource> objects, String kind, String name, String list, String field) {
    return ((List<Map<String, Object>>) spec(objects, kind, name).get(list)).stream()
        .map(v -> String.valueOf(v.get(field))).toList();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(List<KubernetesResource> objects, String kind, String name) {
    HasMetadata found = ofKind(objects, kind).stream()
        .filter(p -> p.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    return (Map<String, Object>) Serialization.jsonMapper().convertValue(found, Map.class).get("spec");
  }

  /** The production guard binding's namespaceSelector as kubectl would write it. */
  @SuppressWarnings("unchecked")
  static String bindingSelector(List<KubernetesResource> objects) {
    Map<String, Object> selector = (Map<String, Object>) ((Map<String, Object>) spec(objects,
        "ValidatingAdmissionPolicyBinding", "mg-migration-gate-production-guard").get("matchResources"))
        .get("namespaceSelector");
    List<String> clauses = new ArrayList<>();
    new java.util.TreeMap<>((Map<String, String>) selector.getOrDefault("matchLabels", Map.of()))
        .forEach((k, v) -> clauses.add(k + "=" + v));
    for (Map<String, Object> e : (List<Map<String, Object>>) selector.getOrDefault("matchExpressions", List.of())) {
      String key = (String) e.get("key");
      List<String> values = (List<String>) e.getOrDefault("values", List.of());
      clauses.add(switch ((String) e.get("operator")) {
        case "In" -> key + " in (" + String.join(",", values) + ")";
        case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
        case "Exists" -> key;
        case "DoesNotExist" -> "!" + key;
        default -> throw new IllegalArgumentException(e.toString());
      });
    }
    return String.join(",", clauses);
  }

  @Test
  void theOperatorAndTheProductionGuardBlockTheSameNamespaces() {
    Map<List<String>, String> expected = new java.util.LinkedHashMap<>();
    expected.put(List.of(), "environment=production");
    expected.put(List.of("blockedNamespaces.matchLabels.environment=prod", "blockedNamespaces.matchLabels.tier=live"),
        "environment=prod,tier=live");
    expected.put(List.of("blockedNamespaces.matchLabels=null",
        "blockedNamespaces.matchExpressions[0].key=environment",
        "blockedNamespaces.matchExpressions[0].operator=In",
        "blockedNamespaces.matchExpressions[0].values={production,live}",
        "blockedNamespaces.matchExpressions[1].key=sandbox",
        "blockedNamespaces.matchExpressions[1].operator=DoesNotExist"),
        "environment in (production,live),!sandbox");
    expected.put(List.of("blockedNamespaces.matchExpressions[0].key=regulated",
        "blockedNamespaces.matchExpressions[0].operator=Exists",
        "blockedNamespaces.matchExpressions[1].key=tier",
        "blockedNamespaces.matchExpressions[1].operator=NotIn",
        "blockedNamespaces.matchExpressions[1].values={dev}"),
        "environment=production,regulated,tier notin (dev)");
    expected.forEach((sets, selector) -> {
      List<KubernetesResource> objects = render(sets.toArray(String[]::new));
      assertThat(env(objects)).as(sets.toString()).containsEntry("MG_BLOCKED_NAMESPACE_SELECTOR", selector);
      assertThat(bindingSelector(objects)).as(sets.toString()).isEqualTo(selector);
      assertThat(validations(objects, "mg-migration-gate-production-guard")).hasSize(1);
    });
  }

  @Test
  void theStatusAndRunnerJobPoliciesKeyOnTheChartsServiceAccountAndRunnerImage() {
    List<KubernetesResource> objects = render();
    String operator = "system:serviceaccount:" + RELEASE_NS + ":mg-migration-gate";
    assertThat(expressions(objects, "ValidatingAdmissionPolicy", "mg-migration-gate-status", "matchConditions"))
        .containsExactly("request.userInfo.username != '" + operator + "'");
    assertThat(validations(objects, "mg-migration-gate-status"))
        .anyMatch(v -> v.contains("status.?approval")).anyMatch(v -> v.contains("status.?plan"))
        .anyMatch(v -> v.contains("status.?job")).anyMatch(v -> v.contains("status.?result"));
    assertThat(expressions(objects, "ValidatingAdmissionPolicy", "mg-migration-gate-runner-jobs", "matchConditions"))
        .containsExactly("request.userInfo.username == '" + operator + "'");
    assertThat(validations(objects, "mg-migration-gate-runner-jobs"))
        .anyMatch(v -> v.contains("image == '" + env(objects).get("MG_RUNNER_IMAGE") + "'"));

    List<KubernetesResource> named = render("serviceAccount.name=gate", "runner.image=registry.example/runner@" + DIGEST);
    assertThat(expressions(named, "ValidatingAdmissionPolicy", "mg-migration-gate-runner-jobs", "matchConditions"))
        .containsExactly("request.userInfo.username == 'system:serviceaccount:" + RELEASE_NS + ":gate'");
    assertThat(validations(named, "mg-migration-gate-runner-jobs"))
        .anyMatch(v -> v.contains("image == 'registry.example/runner@" + DIGEST + "'"));
  }

  @Test
  void serviceAccountApproversReachTheOperatorAndThePolicy() {
    String bot = "system:serviceaccount:ci:release-bot";
    List<KubernetesResource> objects = render("approval.serviceAccountApprovers={" + bot + "}");
    assertThat(env(objects)).containsEntry("MG_APPROVER_SERVICE_ACCOUNTS", bot);
    assertThat(validations(objects, "mg-migration-gate-approvals")).anyMatch(v -> v.endsWith("in [\"" + bot + "\"]"));
    assertThat(validations(render(), "mg-migration-gate-approvals")).anyMatch(v -> v.endsWith("in []"));
  }

  @Test
  void policiesCanBeTurnedOff() {
    // inlineDatabases.enabled=true turns off the policy that refuses inline databases, with the databases
    List<KubernetesResource> objects = render("approval.policy.enabled=false", "approval.blockProductionAtAdmission=false",
        "statusPolicy.enabled=false", "runnerJobPolicy.enabled=false", "inlineDatabases.enabled=true");
    // the records policy stays: a record anyone could write or delete would prove nothing
    assertThat(ofKind(objects, "ValidatingAdmissionPolicy")).extracting(p -> p.getMetadata().getName())
        .containsExactly(RECORDS);
    assertThat(ofKind(objects, "ValidatingAdmissionPolicyBinding")).hasSize(1);
    assertThat(ofKind(objects, "MutatingAdmissionPolicy")).hasSize(1);

    List<KubernetesResource> guardOnly = render("approval.policy.enabled=false", "statusPolicy.enabled=false",
        "runnerJobPolicy.enabled=false", "inlineDatabases.enabled=true");
    assertThat(ofKind(guardOnly, "ValidatingAdmissionPolicy")).extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("mg-migration-gate-production-guard", "mg-migration-gate-targets", RECORDS);
  }

  @Test
  void recordsAreSignedWithTheChartsKeyOrThePlatformsAndOnlyTheOperatorWritesThem() throws Exception {
    List<KubernetesResource> objects = render();
    Secret key = all(objects, Secret.class).stream()
        .filter(s -> s.getMetadata().getName().equals("mg-migration-gate-record-signing-key")).findFirst().orElseThrow();
    String pem = new String(Base64.getDecoder().decode(key.getData().get("signing-key.pem")),
        StandardCharsets.UTF_8);
    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
    KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(
        Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""))));
    assertThat(key.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
    assertThat(env(objects)).containsEntry("MG_RECORD_SIGNING_SECRET", "mg-migration-gate-record-signing-key")
        .containsEntry("MG_RECORD_KEYS_CONFIGMAP", "mg-migration-gate-record-keys")
        .containsEntry("MG_RECORD_NAMESPACE", RELEASE_NS).containsEntry("MG_RECORD_RETENTION_DAYS", "400");
    assertThat(validations(objects, RECORDS)).containsExactly("request.operation != 'UPDATE'",
        "request.operation == 'UPDATE' || request.userInfo.username == 'system:serviceaccount:" + RELEASE_NS
            + ":mg-migration-gate'");

    List<KubernetesResource> platformKey = render("records.signingKeySecret=platform-key", "records.retentionDays=30");
    assertThat(all(platformKey, Secret.class)).isEmpty();
    assertThat(env(platformKey)).containsEntry("MG_RECORD_SIGNING_SECRET", "platform-key")
        .containsEntry("MG_RECORD_RETENTION_DAYS", "30");
    assertThat(allRules(platformKey)).filteredOn(rule -> rule.getResources().contains("secrets"))
        .singleElement().satisfies(rule -> assertThat(rule.getResourceNames()).containsExactly("platform-key"));
  }

  @Test
  void aDigestPinsTheOperatorAndTheRunnerImage() {
    List<KubernetesResource> objects = render("image.repository=registry.example/migration-gate", "image.digest=" + DIGEST);
    String image = "registry.example/migration-gate@" + DIGEST;
    assertThat(operator(objects).getImage()).isEqualTo(image);
    assertThat(env(objects)).containsEntry("MG_RUNNER_IMAGE", image);

    List<KubernetesResource> ownRunner = render("image.repository=registry.example/migration-gate",
        "image.digest=" + DIGEST, "runner.image=registry.example/runner@" + DIGEST);
    assertThat(operator(ownRunner).getImage()).isEqualTo(image);
    assertThat(env(ownRunner)).containsEntry("MG_RUNNER_IMAGE", "registry.example/runner@" + DIGEST);
  }

  @Test
  void theSchemaRefusesBadValuesNamingTheField() {
    assertThatThrownBy(() -> render("image.digest=latest"))
        .hasMessageContaining("/image/digest").hasMessageContaining("'latest' does not match pattern");
    assertThatThrownBy(() -> render("replicaCount=0"))
        .hasMessageContaining("/replicaCount").hasMessageContaining("minimum");
    assertThatThrownBy(() -> render("reconcileThreads=0"))
        .hasMessageContaining("/reconcileThreads").hasMessageContaining("minimum");
    assertThatThrownBy(() -> render("leaderElection.leaseName=Not_A_Name"))
        .hasMessageContaining("/leaderElection/leaseName");
    assertThatThrownBy(() -> render("runner.defaultTimeout=forever"))
        .hasMessageContaining("/runner/defaultTimeout");
    assertThatThrownBy(() -> render("typoedValue=1"))
        .hasMessageContaining("typoedValue");
    // one selector value: the old free-text selector could drift from the binding's labels
    assertThatThrownBy(() -> render("blockedNamespaces.selector=environment=production"))
        .hasMessageContaining("/blockedNamespaces").hasMessageContaining("selector");
    assertThatThrownBy(() -> render("blockedNamespaces.matchExpressions[0].key=environment",
        "blockedNamespaces.matchExpressions[0].operator=In", "blockedNamespaces.matchExpressions[0].values=null"))
        .hasMessageContaining("/blockedNamespaces/matchExpressions/0").hasMessageContaining("values");
    assertThatThrownBy(() -> render("blockedNamespaces.matchExpressions[0].key=environment",
        "blockedNamespaces.matchExpressions[0].operator=NotIn", "blockedNamespaces.matchExpressions[0].values={}"))
        .hasMessageContaining("/blockedNamespaces/matchExpressions/0/values");
    assertThatThrownBy(() -> render("blockedNamespaces.matchLabels=null"))
        .hasMessageContaining("/blockedNamespaces");
    assertThatThrownBy(() -> render("blockedNamespaces.matchLabels.environment=prod\\,live"))
        .hasMessageContaining("/blockedNamespaces/matchLabels/environment");
    assertThatThrownBy(() -> render("approval.serviceAccountApprovers={argocd}"))
        .hasMessageContaining("/approval/serviceAccountApprovers/0");
    assertThatThrownBy(() -> render("metrics.serviceMonitor.interval=often"))
        .hasMessageContaining("/metrics/serviceMonitor/interval");
    assertThatThrownBy(() -> render("imagePullSecrets[0]=regcred"))
        .hasMessageContaining("/imagePullSecrets/0");
    assertThatThrownBy(() -> render("podLabels.team=two words"))
        .hasMessageContaining("/podLabels/team");
    assertThatThrownBy(() -> render("priorityClassName=High_Priority"))
        .hasMessageContaining("/priorityClassName");
    assertThatThrownBy(() -> render("rbac.userRoles.aggregate=true"))
        .hasMessageContaining("/rbac/userRoles").hasMessageContaining("aggregate");
  }
}
