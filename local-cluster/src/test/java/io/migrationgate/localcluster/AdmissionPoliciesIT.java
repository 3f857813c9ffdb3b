package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Helm chart's admission policies (ValidatingAdmissionPolicy for approvals and the production
 * guard, MutatingAdmissionPolicy for requested-by where the API server serves it) on a real API
 * server, rendered by the real helm and exercised with kubectl as each person, on the {@link
 * PolicyPlane}: no operator acts on the requests. Also run on the older Kubernetes minor, where
 * creators declare requested-by ({@link RequestedBy}).
 */
@ExtendWith(SharedClusters.class)
class AdmissionPoliciesIT {

  static final String NS = "orders";
  static final String PROD = "orders-prod";
  static final String URL = "jdbc:postgresql://orders-db:5432/orders";
  static final String BOTH = "sam-both";
  static PolicyPlane policies;
  static ControlPlane plane;
  static Kubectl admin;
  static Kubectl requester;
  static Kubectl approver;

  @BeforeAll
  static void namespaces(PolicyPlane shared) {
    policies = shared;
    policies.createNamespace(NS, "dev");
    policies.createNamespace(PROD, "production");
    plane = policies.plane;
    admin = policies.admin;
    requester = policies.requester;
    approver = policies.approver;
    String refused = request(PROD, "probe", LocalUser.REQUESTER.userName());
    PolicyPlane.awaitPolicy(() -> requester.runWithInput(refused, "create", "--dry-run=server", "-f", "-"),
        "matches the blocked selector");
  }

  static Kubectl kubectl(LocalUser user) {
    return policies.kubectl(user);
  }

  static void require(Kubectl.Result result) {
    PolicyPlane.require(result);
  }

  static String spec() {
    return specOn("orders");
  }

  static String specOn(String target) {
    return """
        workOrder: WO-7
        migrationTargetName: %s
        migrations: {configMap: {name: orders-migrations}}
        """.formatted(target);
  }

  @Test
  void anInlineDatabaseIsRefusedWithTheChartsDefaults() {
    Kubectl.Result refused = requester.runWithInput(policies.requestedBy.request(NS, "inline",
        LocalUser.REQUESTER.userName(), """
        workOrder: WO-7
        database: {url: "%s", credentialsSecret: orders-db}
        migrations: {configMap: {name: orders-migrations}}
        """.formatted(URL)), "create", "-f", "-");
    assertThat(refused.ok()).as(refused.toString()).isFalse();
    assertThat(refused.err()).contains("takes databases only from MigrationTargets")
        .contains("set spec.migrationTargetName instead of spec.database");
  }

  @Test
  void aRequestNamingAProductionTargetIsRefusedFromANamespaceThatIsNotProduction() {
    require(admin.runWithInput(Yaml.target("orders-live", URL, "orders-live-migrator", true), "apply", "-f", "-"));
    require(admin.runWithInput(Yaml.target("orders-test", URL, "orders-test-migrator", false), "apply", "-f", "-"));
    String toProduction = policies.requestedBy.request(NS, "to-production", LocalUser.REQUESTER.userName(),
        specOn("orders-live"));
    PolicyPlane.awaitPolicy(() -> requester.runWithInput(toProduction, "create", "--dry-run=server", "-f", "-"),
        "MigrationTarget orders-live is a production database");
    require(requester.runWithInput(policies.requestedBy.request(NS, "to-test", LocalUser.REQUESTER.userName(),
        specOn("orders-test")), "create", "-f", "-"));
    assertThat(requester.runWithInput(toProduction, "create", "-f", "-").ok()).isFalse();
  }

  static void create(String name) {
    require(requester.runWithInput(request(NS, name, LocalUser.REQUESTER.userName()), "create", "-f", "-"));
  }

  /** Request {@code name} as {@code creator} writes it on this cluster ({@link RequestedBy}). */
  static String request(String namespace, String name, String creator) {
    return policies.requestedBy.request(namespace, name, creator, spec());
  }

  static String annotation(String name, String key) {
    return admin.run("get", "mr", name, "-n", NS, "-o",
        "jsonpath={.metadata.annotations['migrationgate\\.io/" + key + "']}").out();
  }

  @Test
  void requestedByIsTheCreatorEvenWhenForged() {
    String forged = Yaml.request(NS, "forged", Map.of(RequestedBy.ANNOTATION, LocalUser.APPROVER.userName()), spec());
    Kubectl.Result created = requester.runWithInput(forged, "create", "-f", "-");
    if (policies.requestedBy == RequestedBy.STAMPED) {
      require(created);
      assertThat(annotation("forged", "requested-by")).isEqualTo(LocalUser.REQUESTER.userName());
    } else {
      PolicyPlane.refused(created, PolicyPlane.DECLARE_YOURSELF.formatted(LocalUser.REQUESTER.userName()));
      create("forged");
      assertThat(annotation("forged", "requested-by")).isEqualTo(LocalUser.REQUESTER.userName());
    }
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
    List<String> both = List.of(Rbac.REQUESTERS, Rbac.APPROVERS);
    Kubectl.Result created = admin.runWithInput(request(NS, "four-eyes", BOTH),
        PolicyPlane.as(BOTH, both, "create", "-f", "-"));
    require(created);
    assertThat(annotation("four-eyes", "requested-by")).isEqualTo(BOTH);
    Kubectl.Result selfApproved = admin.run(PolicyPlane.as(BOTH, both, "annotate", "mr", "four-eyes", "-n", NS,
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
    Kubectl.Result created = requester.runWithInput(request(PROD, "in-prod", LocalUser.REQUESTER.userName()),
        "create", "-f", "-");
    assertThat(created.ok()).isFalse();
    assertThat(created.err()).contains("namespace orders-prod matches the blocked selector environment=production");
  }
}
