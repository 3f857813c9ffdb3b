package io.migrationgate.localcluster;

import java.util.List;

/** A person (or program) that signs in to the local API server with a static bearer token. */
public enum LocalUser {
  ADMIN("admin", List.of("system:masters")),
  REQUESTER("rita-requester", List.of(Rbac.REQUESTERS)),
  APPROVER("adam-approver", List.of(Rbac.APPROVERS)),
  OUTSIDER("oscar-outsider", List.of());

  private final String userName;
  private final List<String> groups;

  LocalUser(String userName, List<String> groups) {
    this.userName = userName;
    this.groups = groups;
  }

  public String userName() {
    return userName;
  }

  public List<String> groups() {
    return groups;
  }

  /** File name of this user's kubeconfig, e.g. {@code requester.kubeconfig}. */
  public String kubeconfigName() {
    return name().toLowerCase(java.util.Locale.ROOT) + ".kubeconfig";
  }
}
