package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.MigrationRequest;
import java.util.HashSet;
import java.util.Set;

/**
 * Where a request's Jobs, pods, snapshot and evidence live. A request on a MigrationTarget has them
 * in the runs namespace (the operator's), where requesters can neither create pods nor read the
 * target's Secret; an inline database keeps them beside the request, owned by it. Only the operator
 * creates objects in the runs namespace, so there a label naming the request is as good as an owner
 * reference, which Kubernetes does not allow across namespaces.
 *
 * @param runsNamespace the runs namespace; null when the operator was given none (inline databases only)
 */
public record RunPlacement(String runsNamespace) {

  public static boolean namesTarget(MigrationRequest request) {
    return request.getSpec() != null && request.getSpec().migrationTargetName != null;
  }

  public String namespaceOf(MigrationRequest request) {
    return namesTarget(request) && runsNamespace != null ? runsNamespace : request.getMetadata().getNamespace();
  }

  /** Whether labels, not owner references, tie objects in {@code namespace} to their request. */
  public boolean isRunsNamespace(String namespace) {
    return runsNamespace != null && runsNamespace.equals(namespace);
  }

  /**
   * Where the operator's Jobs, pods and ConfigMaps may be, so where it watches them; empty means every
   * namespace. Without inline databases only the runs namespace holds any, so the operator needs no
   * right on Jobs, pods or logs anywhere else.
   */
  public Set<String> ownedObjectNamespaces(Set<String> watchedNamespaces, boolean inlineDatabases) {
    if (runsNamespace == null) {
      return Set.copyOf(watchedNamespaces);
    }
    if (!inlineDatabases) {
      return Set.of(runsNamespace);
    }
    if (watchedNamespaces.isEmpty()) {
      return Set.of();
    }
    Set<String> owned = new HashSet<>(watchedNamespaces);
    owned.add(runsNamespace);
    return Set.copyOf(owned);
  }
}
