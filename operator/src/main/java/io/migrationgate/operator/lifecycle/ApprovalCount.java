package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.Annotations;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Counts the distinct people whose approval names the plan's digest, against the rule the plan falls
 * under. Who may approve at all and group membership were checked by the admission policy when each
 * approval was written (only the API server sees groups); the operator trusts what admission let in and
 * checks what it can see itself: the digest, that the requester never counts, that one person counts
 * once, that ServiceAccounts do not approve.
 */
final class ApprovalCount {

  private ApprovalCount() {}

  /**
   * @param legacy the approved-by approver when that annotation pair is a valid approval of this plan
   * @param serviceAccountMayApprove whether a ServiceAccount's username may approve
   */
  static ApprovalDecision decide(String request, RequestAnnotations a, String digest, ApprovalRule rule,
      Optional<String> legacy, Predicate<String> serviceAccountMayApprove, String summary) {
    Map<String, Boolean> counted = new LinkedHashMap<>();
    List<String> ignored = new ArrayList<>();
    legacy.ifPresent(user -> counted.put(user, false));
    for (RequestAnnotations.Approval approval : a.approvals()) {
      String user = approval.user();
      if (user.isEmpty()) {
        ignored.add(Annotations.APPROVAL_PREFIX + approval.key() + " (not '<digest> <username>')");
      } else if (user.equals(a.requestedBy())) {
        ignored.add(user + " (the requester)");
      } else if (user.startsWith(ApprovalPolicy.SERVICE_ACCOUNT_PREFIX) && !serviceAccountMayApprove.test(user)) {
        ignored.add(user + " (a ServiceAccount)");
      } else if (!approval.digest().equals(digest)) {
        ignored.add(user + " (approved " + approval.digest() + ", not this plan)");
      } else {
        boolean inGroup = approval.group() != null && rule.requiredGroups().contains(approval.group());
        if (counted.containsKey(user)) {
          ignored.add(user + " again (one person counts once)");
        }
        counted.merge(user, inGroup, Boolean::logicalOr);
      }
    }
    boolean groupMet = rule.requiredGroups().isEmpty() || counted.containsValue(true);
    List<String> approvers = List.copyOf(counted.keySet());
    if (approvers.size() >= rule.required() && groupMet) {
      return new ApprovalDecision.Approved(String.join(", ", approvers), a.requestedBy(), digest, approvers,
          rule.required());
    }
    StringBuilder message = new StringBuilder("plan " + digest + " is ready for review: " + summary + "; "
        + approvers.size() + " of " + rule.describe());
    message.append(approvers.isEmpty() ? " so far" : " so far: " + String.join(", ", approvers));
    if (approvers.size() >= rule.required()) {
      message.append("; still needed: an approver in ").append(String.join(" or ", rule.requiredGroups()));
    }
    if (!ignored.isEmpty()) {
      message.append("; not counted: ").append(String.join(", ", ignored));
    }
    message.append("; each further approver runs: kubectl migrationgate approve ").append(request);
    return new ApprovalDecision.Waiting(Reason.AWAITING_APPROVAL, message.toString());
  }
}
