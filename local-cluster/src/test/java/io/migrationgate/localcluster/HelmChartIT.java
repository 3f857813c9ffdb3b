package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
  static Path helm;
  static Path chart;

  @BeforeAll
  static void helmAndChart() {
    helm = KubeBinaries.locate(System.getenv()).binary("helm");
    Path repo = Path.of(System.getProperty("mg.repo", "..")).toAbsolutePath().normalize();
    chart = repo.resolve("helm/migration-gate");
  }

  static String helm(String... args) {
    List<String> command = new ArrayList<>(List.of(helm.toString()));
    command.addAll(List.of(args));
    return Processes.run(command, Duration.ofSeconds(60));
  }

  /** {@code helm template} with {@code --set} pairs, parsed into objects. */
  static List<KubernetesResource> render(String... sets) {
    List<String> args = new ArrayList<>(List.of("template", "mg", chart.toString(), "--namespace", RELEASE_NS,
        "--include-crds"));
    for (String set : sets) {
      args.add("--set");
      args.add(set);
    }
    String yaml = helm(args.toArray(String[]::new));
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

  static ClusterRole clusterRole(List<KubernetesResource> objects) {
    List<ClusterRole> roles = all(objects, ClusterRole.class);
    assertThat(roles).hasSize(1);
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
        List.of("image.digest=" + DIGEST))) {
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

    // all namespaced rules in the ClusterRole; the only Role is the leader's, in the release namespace
    List<PolicyRule> clusterRules = clusterRole(objects).getRules();
    assertThat(grants(clusterRules, "namespaces")).isTrue();
    assertThat(grants(clusterRules, "migrationrequests")).isTrue();
    assertThat(grants(clusterRules, "jobs")).isTrue();
    assertThat(all(objects, Role.class)).singleElement().satisfies(role -> {
      assertThat(role.getMetadata().getNamespace()).isEqualTo(RELEASE_NS);
      assertThat(role.getRules()).singleElement().satisfies(rule -> {
        assertThat(rule.getResources()).containsExactly("leases");
        assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "create", "update", "patch");
      });
    });

    assertThat(ofKind(objects, "ValidatingAdmissionPolicy")).extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("mg-migration-gate-approvals", "mg-migration-gate-production-guard",
            "mg-migration-gate-status", "mg-migration-gate-runner-jobs");
    assertThat(ofKind(objects, "ValidatingAdmissionPolicyBinding")).hasSize(4);
    assertThat(ofKind(objects, "MutatingAdmissionPolicy")).hasSize(1);
    assertThat(ofKind(objects, "MutatingAdmissionPolicyBinding")).hasSize(1);
  }

  @Test
  void noRuleEverGrantsSecretsWildcardsOrRbac() {
    for (String[] sets : List.of(new String[0], new String[] {"watchNamespaces={a,b}"})) {
      List<PolicyRule> rules = allRules(render(sets)).toList();
      assertThat(rules).isNotEmpty();
      for (PolicyRule rule : rules) {
        assertThat(rule.getResources()).as(rule.toString()).doesNotContain("secrets", "*")
            .noneMatch(r -> r.startsWith("secrets"));
        assertThat(rule.getVerbs()).as(rule.toString()).doesNotContain("*", "escalate", "bind", "impersonate");
        assertThat(rule.getApiGroups()).as(rule.toString()).doesNotContain("*", "rbac.authorization.k8s.io");
        assertThat(rule.getResourceNames()).as(rule.toString()).isNullOrEmpty();
      }
    }
  }

  @Test
  void watchNamespacesGetRolesThereAndTheClusterRoleKeepsOnlyNamespaces() {
    List<KubernetesResource> objects = render("watchNamespaces={a,b}");
    assertThat(clusterRole(objects).getRules()).singleElement()
        .satisfies(rule -> assertThat(rule.getResources()).containsExactly("namespaces"));

    List<Role> watched = all(objects, Role.class).stream().filter(r -> grants(r.getRules(), "migrationrequests")).toList();
    assertThat(watched).extracting(r -> r.getMetadata().getNamespace()).containsExactlyInAnyOrder("a", "b");
    List<PolicyRule> defaultRules = clusterRole(render()).getRules().stream()
        .filter(r -> !r.getResources().contains("namespaces")).toList();
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
    assertThat(all(objects, Role.class)).isEmpty();
    assertThat(all(objects, RoleBinding.class)).isEmpty();
    assertThat(env(objects)).containsEntry("MG_LEADER_ELECTION", "false");
  }

  @Test
  void withoutStampingTheCreatorMustDeclareThemselves() {
    List<KubernetesResource> objects = render("approval.stampRequestedBy=false");
    assertThat(ofKind(objects, "MutatingAdmissionPolicy")).isEmpty();
    assertThat(ofKind(objects, "MutatingAdmissionPolicyBinding")).isEmpty();
    assertThat(validations(objects, "mg-migration-gate-approvals"))
        .anyMatch(v -> v.contains("request.operation != 'CREATE' || variables.newRequester == request.userInfo.username"));
    // with stamping on (the default) that rule is absent: the API server writes requested-by itself
    assertThat(validations(render(), "mg-migration-gate-approvals"))
        .noneMatch(v -> v.contains("request.operation != 'CREATE'"));
  }

  static List<String> validations(List<KubernetesResource> objects, String policy) {
    return expressions(objects, "ValidatingAdmissionPolicy", policy, "validations");
  }

  /** The {@code expression}s in {@code spec.<list>} of a policy or binding, read generically. */
  @SuppressWarnings("unchecked")
  static List<String> expressions(List<KubernetesResource> objects, String kind, String name, String list) {
    return ((List<Map<String, Object>>) spec(objects, kind, name).get(list)).stream()
        .map(v -> String.valueOf(v.get("expression"))).toList();
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
    List<KubernetesResource> objects = render("approval.policy.enabled=false", "approval.blockProductionAtAdmission=false",
        "statusPolicy.enabled=false", "runnerJobPolicy.enabled=false");
    assertThat(ofKind(objects, "ValidatingAdmissionPolicy")).isEmpty();
    assertThat(ofKind(objects, "ValidatingAdmissionPolicyBinding")).isEmpty();
    assertThat(ofKind(objects, "MutatingAdmissionPolicy")).hasSize(1);

    List<KubernetesResource> guardOnly = render("approval.policy.enabled=false", "statusPolicy.enabled=false",
        "runnerJobPolicy.enabled=false");
    assertThat(ofKind(guardOnly, "ValidatingAdmissionPolicy")).extracting(p -> p.getMetadata().getName())
        .containsExactly("mg-migration-gate-production-guard");
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
  }
}
