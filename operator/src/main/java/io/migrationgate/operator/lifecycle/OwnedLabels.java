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
  /** The request's namespace: in the runs namespace it, with the request annotation, leads back to the request. */
  public static final String REQUEST_NAMESPACE_KEY = "migrationgate.io/request-namespace";
  public static final String REQUEST_ANNOTATION = "migrationgate.io/request";
  /** On a Job's pod template: the token of the launch marker written before the Job was created. */
  public static final String LAUNCH_TOKEN = "migrationgate.io/launch-token";

  private OwnedLabels() {}

  /**
   * The metadata of an object the request controls, where {@code placement} puts it: beside the
   * request it carries the request's controller reference (so the garbage collector deletes it with
   * the request); in the runs namespace only the labels tie it to the request, and the operator
   * deletes it. The caller names it (or lets the API server name it) and adds what only that kind needs.
   */
  public static ObjectMetaBuilder metadata(MigrationRequest request, String component, RunPlacement placement) {
    String namespace = placement.namespaceOf(request);
    ObjectMetaBuilder metadata = new ObjectMetaBuilder()
        .withNamespace(namespace)
        .withLabels(labels(request, component))
        .withAnnotations(annotations(request));
    return namespace.equals(request.getMetadata().getNamespace()) ? metadata.withOwnerReferences(ownedBy(request))
        : metadata;
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
        REQUEST_UID_KEY, request.getMetadata().getUid(),
        REQUEST_NAMESPACE_KEY, request.getMetadata().getNamespace());
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
