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
 * evidence stays, for the record outlives the request (docs/evidence.md).
 */
public final class RunsNamespaceCleanup {

  private RunsNamespaceCleanup() {}

  public static void afterDeletion(MigrationRequest request, RunPlacement placement, KubernetesClient client) {
    String namespace = placement.namespaceOf(request);
    if (namespace.equals(request.getMetadata().getNamespace())) {
      return;
    }
    String uid = request.getMetadata().getUid();
    // One delete per object: a delete by label selector is deletecollection, a right the chart does not give.
    client.batch().v1().jobs().inNamespace(namespace).withLabel(OwnedLabels.REQUEST_UID_KEY, uid).list().getItems()
        .forEach(job -> client.resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
    client.configMaps().inNamespace(namespace).withLabel(OwnedLabels.REQUEST_UID_KEY, uid)
        .withLabel(OwnedLabels.COMPONENT_KEY, SnapshotFactory.COMPONENT).list().getItems()
        .forEach(snapshot -> client.resource(snapshot).delete());
  }
}
