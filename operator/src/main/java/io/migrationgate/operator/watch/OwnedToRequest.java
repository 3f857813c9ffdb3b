package io.migrationgate.operator.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.migrationgate.operator.lifecycle.OwnedLabels;
import io.migrationgate.operator.lifecycle.RunPlacement;
import java.util.Map;
import java.util.Set;

/**
 * Leads a Job or ConfigMap the operator made back to its request: beside the request by the
 * controller reference, in the runs namespace by the labels naming the request (no owner reference
 * crosses namespaces). Labels are honoured only in the runs namespace, where only the operator
 * creates objects, so nobody can attach an object of theirs to another namespace's request.
 */
public final class OwnedToRequest<T extends HasMetadata> implements SecondaryToPrimaryMapper<T> {

  private final RunPlacement placement;
  private final SecondaryToPrimaryMapper<T> byOwner = Mappers.fromOwnerReferences("migrationgate.io/v1alpha1",
      "MigrationRequest", false);

  public OwnedToRequest(RunPlacement placement) {
    this.placement = placement;
  }

  @Override
  public Set<ResourceID> toPrimaryResourceIDs(T object) {
    if (!placement.isRunsNamespace(object.getMetadata().getNamespace())) {
      return byOwner.toPrimaryResourceIDs(object);
    }
    return fromLabels(object);
  }

  /** The request an object of the runs namespace names, if it names one. */
  static Set<ResourceID> fromLabels(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    String namespace = labels == null ? null : labels.get(OwnedLabels.REQUEST_NAMESPACE_KEY);
    String name = annotations == null ? null : annotations.get(OwnedLabels.REQUEST_ANNOTATION);
    return namespace == null || name == null ? Set.of() : Set.of(new ResourceID(name, namespace));
  }
}
