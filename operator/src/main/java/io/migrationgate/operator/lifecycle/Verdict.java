package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.Phase;

/**
 * Why the request stands where it does: its phase, and the reason and message its conditions show;
 * while it waits for approval, the approval reason and message explain the Approved condition.
 */
public record Verdict(Phase phase, String reason, String message, String approvalReason, String approvalMessage) {

  public static Verdict of(Phase phase, String reason, String message) {
    return new Verdict(phase, reason, message, null, null);
  }
}
