package io.migrationgate.operator;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import java.util.Map;

/**
 * Labels and annotations on everything the operator creates. The informers select on the
 * managed-by label; the request annotation maps a Pod (owned by its Job, not by the request) back
 * to its request, since a request name can be longer than a label value may be.
 */
public final class OwnedLabels {

  public static final String MANAGED_BY_KEY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "migration-gate";
  public static final String SELECTOR = MANAGED_BY_KEY + "=" + MANAGED_BY;
  public static final String COMPONENT_KEY = "app.kubernetes.io/component";
  public static final String REQUEST_UID_KEY = "migrationgate.io/request-uid";
  public static final String REQUEST_ANNOTATION = "migrationgate.io/request";

  private OwnedLabels() {}

  public static Map<String, String> labels(MigrationRequest request, String component) {
    return Map.of(
        "app.kubernetes.io/name", "migration-gate",
        MANAGED_BY_KEY, MANAGED_BY,
        COMPONENT_KEY, component,
        REQUEST_UID_KEY, request.getMetadata().getUid());
  }

  public static Map<String, String> annotations(MigrationRequest request) {
    return Map.of(REQUEST_ANNOTATION, request.getMetadata().getName());
  }

  public static OwnerReference ownedBy(MigrationRequest request) {
    return new OwnerReferenceBuilder()
        .withApiVersion(request.getApiVersion())
        .withKind(request.getKind())
        .withName(request.getMetadata().getName())
        .withUid(request.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
