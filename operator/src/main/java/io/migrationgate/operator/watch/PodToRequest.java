package io.migrationgate.operator.watch;

import io.migrationgate.operator.lifecycle.OwnedLabels;
import io.migrationgate.operator.lifecycle.RunPlacement;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.Map;
import java.util.Set;

/**
 * A runner pod belongs to its Job, not to the request, so ownerReferences cannot lead back to the
 * request; the request annotation the pod template carries does. Which pod counts as the Job's is
 * judged later (TrustedObjects): a pod that names a request only wakes it up. In the runs namespace
 * the pod's labels also name the request's namespace (OwnedToRequest).
 */
public final class PodToRequest implements SecondaryToPrimaryMapper<Pod> {

  private final RunPlacement placement;

  public PodToRequest(RunPlacement placement) {
    this.placement = placement;
  }

  @Override
  public Set<ResourceID> toPrimaryResourceIDs(Pod pod) {
    if (placement.isRunsNamespace(pod.getMetadata().getNamespace())) {
      return OwnedToRequest.fromLabels(pod);
    }
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String request = annotations == null ? null : annotations.get(OwnedLabels.REQUEST_ANNOTATION);
    return request == null ? Set.of() : Set.of(new ResourceID(request, pod.getMetadata().getNamespace()));
  }
}
