package io.migrationgate.operator.watch;

import io.migrationgate.operator.lifecycle.OwnedLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.Map;
import java.util.Set;

/**
 * A runner pod belongs to its Job, not to the request, so ownerReferences cannot lead back to the
 * request; the request annotation the pod template carries does. Which pod counts as the Job's is
 * judged later (TrustedObjects): a pod that names a request only wakes it up.
 */
public final class PodToRequest implements SecondaryToPrimaryMapper<Pod> {

  @Override
  public Set<ResourceID> toPrimaryResourceIDs(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String request = annotations == null ? null : annotations.get(OwnedLabels.REQUEST_ANNOTATION);
    return request == null ? Set.of() : Set.of(new ResourceID(request, pod.getMetadata().getNamespace()));
  }
}
