package io.migrationgate.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.migrationgate.api.v1alpha1.MigrationRequest;

/**
 * Create-only writes of owned objects. Names are deterministic, so AlreadyExists means an earlier
 * attempt got there first (the operator crashed before recording it): that object is adopted, as
 * long as it belongs to this request. Nothing is ever updated.
 */
final class OwnedObjects {

  private OwnedObjects() {}

  static <T extends HasMetadata> T createOrAdopt(KubernetesClient client, T object, MigrationRequest owner) {
    try {
      return client.resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      T existing = client.resource(object).get();
      if (existing == null || !OwnedLabels.isOwnedBy(existing, owner)) {
        throw new IllegalStateException(object.getKind() + " " + object.getMetadata().getName()
            + " already exists and does not belong to this request; delete it or rename the request", e);
      }
      return existing;
    }
  }
}
