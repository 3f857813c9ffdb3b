package io.migrationgate.operator.effects;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.operator.lifecycle.OwnedLabels;
import io.migrationgate.operator.lifecycle.RunPlacement;
import io.migrationgate.operator.lifecycle.SnapshotFactory;

/**
 * A deleted request's Jobs and snapshot in the runs namespace: no owner reference crosses namespaces,
 * so the garbage collector does not delete them with the request, and the operator does. Its
 * evidence stays while its MigrationRecord does (docs/evidence.md); a request that leaves no record
 * (it never ran on an approval) leaves no evidence either.
 */
public final class RunsNamespaceCleanup {

  private RunsNamespaceCleanup() {}

  /** {@code keepEvidence}: its record keeps the evidence, and the record's sweep deletes it. */
  public static void afterDeletion(MigrationRequest request, RunPlacement placement, KubernetesClient client,
      boolean keepEvidence) {
    String namespace = placement.namespaceOf(request);
    if (namespace.equals(request.getMetadata().getNamespace())) {
      return;
    }
    String uid = request.getMetadata().getUid();
    // One delete per object: a delete by label selector is deletecollection, a right the chart does not give.
    client.batch().v1().jobs().inNamespace(namespace).withLabel(OwnedLabels.REQUEST_UID_KEY, uid).list().getItems()
        .forEach(job -> client.resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
    client.configMaps().inNamespace(namespace).withLabel(OwnedLabels.REQUEST_UID_KEY, uid).list().getItems().stream()
        .filter(configMap -> !keepEvidence
            || SnapshotFactory.COMPONENT.equals(configMap.getMetadata().getLabels().get(OwnedLabels.COMPONENT_KEY)))
        .forEach(configMap -> client.resource(configMap).delete());
  }
}
