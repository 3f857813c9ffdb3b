package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart's admission policies (ValidatingAdmissionPolicy for approvals and the production
 * guard, MutatingAdmissionPolicy for requested-by) on a real API server, rendered by the real helm
 * and exercised with kubectl as each person. They get a control plane of their own: cluster-wide,
 * they would refuse what the other e2e tests create on purpose (requests in production namespaces).
 */
class AdmissionPoliciesIT {

  static final String NS = "orders";
  static final String PROD = "orders-prod";
  static final String URL = "jdbc:postgresql://orders-db:5432/orders";
  static final String BOTH = "sam-both";
  static Path workDir;
  static ControlPlane plane;
  static Kubectl admin;
  static Kubectl requester;
  static Kubectl approver;

  @BeforeAll
  static void controlPlaneWithThePolicies() throws Exception {
    workDir = Files.createTempDirectory("mg-admission-");
    Path repo = Path.of(System.getProperty("mg.repo", "..")).toAbsolutePath().normalize();
    plane = ControlPlane.start(KubeBinaries.locate(System.getenv()), workDir);
    admin = kubectl(LocalUser.ADMIN);
    requester = kubectl(LocalUser.REQUESTER);
    approver = kubectl(LocalUser.APPROVER);
    require(admin.run("apply", "--server-side", "-f", repo.resolve("crds").toString()));
    LocalCluster.awaitCrdServed(admin);

    String policies = Processes.run(List.of(plane.binaries().binary("helm").toString(), "template", "mg",
        repo.resolve("helm/migration-gate").toString(), "--namespace", "migration-gate",
        "--show-only", "templates/admission-policies.yaml"), java.time.Duration.ofSeconds(60));
    require(admin.runWithInput(policies, "apply", "-f", "-"));

    for (Map.Entry<String, String> ns : Map.of(NS, "dev", PROD, "production").entrySet()) {
      plane.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns.getKey())
          .addToLabels("environment", ns.getValue()).endMetadata().build()).create();
      Rbac.grant(plane.admin(), ns.getKey());
    }
    // The policies take effect once the API server has loaded them: wait until the policy itself
    // (not anything else) refuses a request where it must.
    String refused = Yaml.request(PROD, "probe", spec());
    for (int i = 0; i < 150 && !requester.runWithInput(refused, "create", "--dry-run=server", "-f", "-").err()
        .contains("matches the blocked selector"); i++) {
      ControlPlane.sleep(200);
    }
  }

  @AfterAll
  static void stop() {
    if (plane != null) {
      plane.close();
    }
    Processes.deleteTree(workDir);
  }

  static Kubectl kubectl(LocalUser user) {
    return new Kubectl(plane.binaries().kubectl(), plane.kubeconfig(user));
  }

  static void require(Kubectl.Result result) {
    assertThat(result.ok()).as(result.toString()).isTrue();
  }

  static String spec() {
    return """
        workOrder: WO-7
        database: {url: "%s", credentialsSecret: orders-db}
        migrations: {configMap: {name: orders-migrations}}
        """.formatted(URL);
  }

  static void create(String name) {
    require(requester.runWithInput(Yaml.request(NS, name, spec()), "create", "-f", "-"));
  }

  static String annotation(String name, String key) {
    return admin.run("get", "mr", name, "-n", NS, "-o",
        "jsonpath={.metadata.annotations['migrationgate\\.io/" + key + "']}").out();
  }

  @Test
  void requestedByIsStampedWithTheCreatorEvenWhenForged() {
    String forged = Yaml.request(NS, "forged", spec()).replace("metadata: {name: forged, namespace: orders}",
        "metadata: {name: forged, namespace: orders, annotations: {migrationgate.io/requested-by: adam-approver}}");
    require(requester.runWithInput(forged, "create", "-f", "-"));
    assertThat(annotation("forged", "requested-by")).isEqualTo(LocalUser.REQUESTER.userName());
  }

  @Test
  void anApproverApprovesInTheirOwnNameOnly() {
    create("own-name");
    Kubectl.Result otherName = approver.run("annotate", "mr", "own-name", "-n", NS,
        "migrationgate.io/approved-by=someone-else");
    assertThat(otherName.ok()).isFalse();
    assertThat(otherName.err()).contains("migrationgate.io/approved-by must be your own username (adam-approver)");

    require(approver.run("annotate", "mr", "own-name", "-n", NS,
        "migrationgate.io/approved-by=" + LocalUser.APPROVER.userName()));
    assertThat(annotation("own-name", "approved-by")).isEqualTo(LocalUser.APPROVER.userName());
  }

  @Test
  void onlyApproverGroupsMayApproveOrRejectEvenClusterAdmins() {
    create("admins-too");
    Kubectl.Result approved = admin.run("annotate", "mr", "admins-too", "-n", NS, "migrationgate.io/approved-by=admin");
    assertThat(approved.ok()).isFalse();
    assertThat(approved.err()).contains("only members of migration-approvers may add, change or remove");
    Kubectl.Result rejected = admin.run("annotate", "mr", "admins-too", "-n", NS, "migrationgate.io/rejected-by=admin");
    assertThat(rejected.ok()).isFalse();
    assertThat(rejected.err()).contains("only members of migration-approvers");
  }

  @Test
  void anOutsiderWithPatchRightsStillCannotApproveNorPinTheDigest() {
    create("outsiders");
    // RBAC lets the outsider patch requests here, so it is the policy that must refuse them.
    plane.admin().resource(new RoleBindingBuilder()
        .withNewMetadata().withName("outsider-may-patch").withNamespace(NS).endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
        .withName(Rbac.APPROVER_ROLE).endRoleRef()
        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User")
        .withName(LocalUser.OUTSIDER.userName()).endSubject()
        .build()).serverSideApply();
    Kubectl outsider = kubectl(LocalUser.OUTSIDER);
    Kubectl.Result approved = outsider.run("annotate", "mr", "outsiders", "-n", NS,
        "migrationgate.io/approved-by=" + LocalUser.OUTSIDER.userName());
    assertThat(approved.ok()).isFalse();
    assertThat(approved.err()).contains("only members of migration-approvers may add, change or remove",
        LocalUser.OUTSIDER.userName() + " is not a member");
    Kubectl.Result pinned = outsider.run("annotate", "mr", "outsiders", "-n", NS,
        "migrationgate.io/approved-digest=sha256:" + "a".repeat(64));
    assertThat(pinned.ok()).isFalse();
    assertThat(pinned.err()).contains("approved-by, rejected-by or approved-digest");
    assertThat(annotation("outsiders", "approved-digest")).isEmpty();
  }

  @Test
  void whoeverRequestedCannotApproveTheirOwnRequest() {
    // one person in both groups: the cluster admin acts as them (impersonation)
    String[] asBoth = {"--as", BOTH, "--as-group", Rbac.REQUESTERS, "--as-group", Rbac.APPROVERS};
    Kubectl.Result created = admin.runWithInput(Yaml.request(NS, "four-eyes", spec()),
        concat(asBoth, "create", "-f", "-"));
    require(created);
    assertThat(annotation("four-eyes", "requested-by")).isEqualTo(BOTH);
    Kubectl.Result selfApproved = admin.run(concat(asBoth, "annotate", "mr", "four-eyes", "-n", NS,
        "migrationgate.io/approved-by=" + BOTH));
    assertThat(selfApproved.ok()).isFalse();
    assertThat(selfApproved.err()).contains(BOTH + " requested this migration and cannot approve it");
  }

  @Test
  void requestedByCannotBeChangedAfterCreation() {
    create("recorded");
    Kubectl.Result changed = approver.run("annotate", "--overwrite", "mr", "recorded", "-n", NS,
        "migrationgate.io/requested-by=adam-approver");
    assertThat(changed.ok()).isFalse();
    assertThat(changed.err()).contains("migrationgate.io/requested-by is recorded at creation and cannot change");
  }

  @Test
  void productionNamespacesRefuseRequestsAtAdmission() {
    Kubectl.Result created = requester.runWithInput(Yaml.request(PROD, "in-prod", spec()), "create", "-f", "-");
    assertThat(created.ok()).isFalse();
    assertThat(created.err()).contains("namespace orders-prod matches the blocked selector environment=production");
  }

  private static String[] concat(String[] first, String... rest) {
    String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    return all;
  }
}
