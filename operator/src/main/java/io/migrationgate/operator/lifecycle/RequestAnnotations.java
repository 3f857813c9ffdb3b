package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.migrationgate.api.v1alpha1.Annotations;
import java.util.Map;

/** The decision annotations of a request as found; null means absent, "" means present but blank. */
public record RequestAnnotations(
    String approvedBy, String rejectedBy, String requestedBy, String approvedDigest) {

  public static RequestAnnotations of(HasMetadata resource) {
    Map<String, String> a = resource.getMetadata().getAnnotations();
    if (a == null) {
      return new RequestAnnotations(null, null, null, null);
    }
    return new RequestAnnotations(
        trimmed(a.get(Annotations.APPROVED_BY)),
        trimmed(a.get(Annotations.REJECTED_BY)),
        trimmed(a.get(Annotations.REQUESTED_BY)),
        trimmed(a.get(Annotations.APPROVED_DIGEST)));
  }

  private static String trimmed(String value) {
    return value == null ? null : value.trim();
  }
}
