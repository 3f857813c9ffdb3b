package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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
  /** On a Job's pod template: the token of the launch marker written before the Job was created. */
  public static final String LAUNCH_TOKEN = "migrationgate.io/launch-token";

  private OwnedLabels() {}

  /**
   * The metadata of an object the request controls, in its namespace; the caller names it (or
   * lets the API server name it) and adds what only that kind needs.
   */
  public static ObjectMetaBuilder metadata(MigrationRequest request, String component) {
    return new ObjectMetaBuilder()
        .withNamespace(request.getMetadata().getNamespace())
        .withLabels(labels(request, component))
        .withAnnotations(annotations(request))
        .withOwnerReferences(ownedBy(request));
  }

  /**
   * The metadata of a pod template: labels and annotations only, since the Job owns its pods. The
   * launch token sits here because a Job's template cannot change after creation, unlike its labels.
   */
  public static ObjectMeta podTemplateMetadata(MigrationRequest request, String component, String launchToken) {
    return new ObjectMetaBuilder()
        .withLabels(labels(request, component))
        .withAnnotations(launchToken == null ? annotations(request)
            : Map.of(REQUEST_ANNOTATION, request.getMetadata().getName(), LAUNCH_TOKEN, launchToken))
        .build();
  }

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
