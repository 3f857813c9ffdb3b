package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.migrationgate.api.v1alpha1.Annotations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The decision annotations of a request as found; null means absent, "" means present but blank.
 * {@code approvals} are the approval.migrationgate.io/ annotations, in key order.
 */
public record RequestAnnotations(
    String approvedBy, String rejectedBy, String requestedBy, String approvedDigest, List<Approval> approvals) {

  /**
   * One approval annotation: {@code value} is {@code <digest> <username>} as written (a value without a
   * space parses to a blank user, which never counts); {@code group} is the approval-group annotation of the
   * same key, or null.
   */
  public record Approval(String key, String digest, String user, String group) {

    static Approval parse(String key, String value, String group) {
      String v = value.trim();
      int space = v.indexOf(' ');
      return space < 0 ? new Approval(key, v, "", group)
          : new Approval(key, v.substring(0, space), v.substring(space + 1).trim(), group);
    }
  }

  public RequestAnnotations(String approvedBy, String rejectedBy, String requestedBy, String approvedDigest) {
    this(approvedBy, rejectedBy, requestedBy, approvedDigest, List.of());
  }

  public RequestAnnotations {
    approvals = List.copyOf(approvals);
  }

  public static RequestAnnotations of(HasMetadata resource) {
    Map<String, String> a = resource.getMetadata().getAnnotations();
    if (a == null) {
      return new RequestAnnotations(null, null, null, null);
    }
    List<Approval> approvals = new ArrayList<>();
    new TreeMap<>(a).forEach((key, value) -> {
      if (key.startsWith(Annotations.APPROVAL_PREFIX) && value != null) {
        String name = key.substring(Annotations.APPROVAL_PREFIX.length());
        approvals.add(Approval.parse(name, value, trimmed(a.get(Annotations.APPROVAL_GROUP_PREFIX + name))));
      }
    });
    return new RequestAnnotations(
        trimmed(a.get(Annotations.APPROVED_BY)),
        trimmed(a.get(Annotations.REJECTED_BY)),
        trimmed(a.get(Annotations.REQUESTED_BY)),
        trimmed(a.get(Annotations.APPROVED_DIGEST)),
        approvals);
  }

  private static String trimmed(String value) {
    return value == null ? null : value.trim();
  }
}
