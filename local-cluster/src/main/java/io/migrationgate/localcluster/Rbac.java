package io.migrationgate.localcluster;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * What requesters and approvers may do in a namespace. Requesters submit requests with their
 * scripts and credentials and may read what their runs did; approvers read and annotate requests.
 * Neither may touch another's rights or the operator's objects.
 */
public final class Rbac {

  public static final String REQUESTERS = "migration-requesters";
  public static final String APPROVERS = "migration-approvers";
  static final String REQUESTER_ROLE = "migration-gate-requester";
  static final String APPROVER_ROLE = "migration-gate-approver";
  private static final String GROUP = "migrationgate.io";

  private Rbac() {}

  static void installClusterRoles(KubernetesClient admin) {
    ClusterRole requester = new ClusterRoleBuilder()
        .withNewMetadata().withName(REQUESTER_ROLE).endMetadata()
        .withRules(
            new PolicyRuleBuilder().withApiGroups(GROUP).withResources("migrationrequests")
                .withVerbs("create", "get", "list", "watch").build(),
            new PolicyRuleBuilder().withApiGroups("").withResources("configmaps", "secrets")
                .withVerbs("create", "get", "list", "watch").build(),
            // read what the run did: kubectl logs job/<name>, kubectl get events
            new PolicyRuleBuilder().withApiGroups("").withResources("pods", "pods/log", "events")
                .withVerbs("get", "list", "watch").build(),
            new PolicyRuleBuilder().withApiGroups("batch").withResources("jobs")
                .withVerbs("get", "list", "watch").build())
        .build();
    ClusterRole approver = new ClusterRoleBuilder()
        .withNewMetadata().withName(APPROVER_ROLE).endMetadata()
        .withRules(new PolicyRuleBuilder().withApiGroups(GROUP).withResources("migrationrequests")
            .withVerbs("get", "list", "watch", "patch").build())
        .build();
    admin.resource(requester).serverSideApply();
    admin.resource(approver).serverSideApply();
  }

  /** Lets the requester and approver groups work in {@code namespace}. */
  public static void grant(KubernetesClient admin, String namespace) {
    admin.resource(binding(namespace, REQUESTER_ROLE, REQUESTERS)).serverSideApply();
    admin.resource(binding(namespace, APPROVER_ROLE, APPROVERS)).serverSideApply();
  }

  private static RoleBinding binding(String namespace, String role, String group) {
    return new RoleBindingBuilder()
        .withNewMetadata().withName(role).withNamespace(namespace).endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
        .withName(role).endRoleRef()
        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("Group").withName(group)
        .endSubject()
        .build();
  }
}
