package io.migrationgate.localcluster;

import static io.migrationgate.localcluster.PolicyPlane.as;
import static io.migrationgate.localcluster.PolicyPlane.refused;
import static io.migrationgate.localcluster.PolicyPlane.require;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A requester who is also an approver must take no part in approving their own
 * request, not even through approved-digest or another approver's rejection; and ServiceAccounts
 * (GitOps controllers that sync requests) do not approve or reject unless the chart names them.
 */
@ExtendWith(SharedClusters.class)
class RequesterTouchesApprovalIT {

  static final String NS = "requester-approval";
  static final String BOTH = "sam-both";
  static final List<String> BOTH_GROUPS = List.of(Rbac.REQUESTERS, Rbac.APPROVERS);
  static final String ARGOCD = "system:serviceaccount:argocd:argocd-application-controller";
  static final String RELEASE_BOT = PolicyPlane.SERVICE_ACCOUNT_APPROVER;
  static final String DIGEST = "sha256:" + "5eed".repeat(16);
  static PolicyPlane policies;
  static Kubectl admin;

  @BeforeAll
  static void namespace(PolicyPlane shared) {
    policies = shared;
    policies.createNamespace(NS, "dev");
    admin = policies.admin;
    // what the operator does once the source exists: record the plan (the operator's identity may)
    policies.grant(NS, PolicyPlane.OPERATOR, "migrationgate.io", List.of("migrationrequests/status"),
        List.of("patch", "get"));
    createAs(BOTH, "probe");
    PolicyPlane.awaitPolicy(() -> admin.run(as(BOTH, BOTH_GROUPS, "annotate", "--dry-run=server", "mr", "probe",
        "-n", NS, "migrationgate.io/approved-by=" + BOTH)), "requested this migration");
  }

  /** A request whose scripts ConfigMap does not exist yet: it cannot have a plan. */
  static void createAs(String user, String name) {
    String request = policies.requestedBy.request(NS, name, user, """
        workOrder: WO-8
        migrationTargetName: orders
        migrations: {configMap: {name: %s-scripts}}
        """.formatted(name));
    require(admin.runWithInput(request, as(user, BOTH_GROUPS, "create", "-f", "-")));
  }

  static Kubectl.Result annotateAs(String user, List<String> groups, String name, String... annotations) {
    List<String> args = new java.util.ArrayList<>(List.of("annotate", "--overwrite", "mr", name, "-n", NS));
    args.addAll(List.of(annotations));
    return admin.run(as(user, groups, args.toArray(String[]::new)));
  }

  static String annotation(String name, String key) {
    return admin.run("get", "mr", name, "-n", NS, "-o",
        "jsonpath={.metadata.annotations['migrationgate\\.io/" + key + "']}").out();
  }

  @Test
  void theRequesterCannotPinTheDigestUnderAnotherApproversEarlyApproval() {
    createAs(BOTH, "early");
    String adam = LocalUser.APPROVER.userName();
    require(policies.approver.run("annotate", "mr", "early", "-n", NS, "migrationgate.io/approved-by=" + adam));
    // the requester creates the scripts; the operator records their plan
    require(admin.run(as(PolicyPlane.OPERATOR, List.of(), "patch", "mr", "early", "-n", NS, "--subresource=status",
        "--type=merge", "-p", "{\"status\":{\"phase\":\"AwaitingApproval\",\"plan\":{\"digest\":\"" + DIGEST
            + "\",\"snapshot\":\"early-snapshot\",\"approvalBeforePlan\":\"" + adam + "\"}}}")));

    refused(annotateAs(BOTH, BOTH_GROUPS, "early", "migrationgate.io/approved-digest=" + DIGEST),
        BOTH + " requested this migration and cannot approve it",
        "may not add, change or remove migrationgate.io/approved-by, approved-digest or rejected-by");
    assertThat(annotation("early", "approved-digest")).isEmpty();

    // the approver who approved early pins the plan they reviewed: the way it is meant to go
    require(policies.approver.run("annotate", "mr", "early", "-n", NS, "migrationgate.io/approved-digest=" + DIGEST));
    assertThat(annotation("early", "approved-digest")).isEqualTo(DIGEST);
  }

  @Test
  void theRequesterCannotRemoveNorChangeAnotherApproversRejection() {
    createAs(BOTH, "rejected");
    String adam = LocalUser.APPROVER.userName();
    require(policies.approver.run("annotate", "mr", "rejected", "-n", NS, "migrationgate.io/rejected-by=" + adam));

    refused(annotateAs(BOTH, BOTH_GROUPS, "rejected", "migrationgate.io/rejected-by-"),
        BOTH + " requested this migration");
    refused(annotateAs(BOTH, BOTH_GROUPS, "rejected", "migrationgate.io/rejected-by=" + BOTH),
        BOTH + " requested this migration");
    refused(annotateAs(BOTH, BOTH_GROUPS, "rejected", "migrationgate.io/approved-by=" + adam),
        BOTH + " requested this migration");
    assertThat(annotation("rejected", "rejected-by")).isEqualTo(adam);
  }

  @Test
  void aServiceAccountInAnApproverGroupNeitherApprovesNorRejects() {
    createAs(LocalUser.REQUESTER.userName(), "synced");
    List<String> approvers = List.of(Rbac.APPROVERS);
    refused(annotateAs(ARGOCD, approvers, "synced", "migrationgate.io/approved-by=" + ARGOCD),
        ARGOCD + " is a ServiceAccount", "approval.serviceAccountApprovers");
    refused(annotateAs(ARGOCD, approvers, "synced", "migrationgate.io/rejected-by=" + ARGOCD),
        ARGOCD + " is a ServiceAccount");
    refused(annotateAs(ARGOCD, approvers, "synced", "migrationgate.io/approved-digest=" + DIGEST),
        ARGOCD + " is a ServiceAccount");
    assertThat(annotation("synced", "approved-by")).isEmpty();
  }

  @Test
  void aServiceAccountNamedInTheValuesMayApprove() {
    createAs(LocalUser.REQUESTER.userName(), "released");
    require(annotateAs(RELEASE_BOT, List.of(Rbac.APPROVERS), "released", "migrationgate.io/approved-by=" + RELEASE_BOT));
    assertThat(annotation("released", "approved-by")).isEqualTo(RELEASE_BOT);
  }
}
