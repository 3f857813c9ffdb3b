package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.ApprovalStatus;
import io.migrationgate.api.v1alpha1.Annotations;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.PlannedTarget;
import io.migrationgate.contract.Durations;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When a latched approval that has not launched its run is void. The clock starts at
 * status.approval.recordedAt, the operator's own time when it first saw the approval, never a time
 * an annotation claims; it survives a change of leader with the status. The latched approval is
 * what counts: a newer annotation does not restart the clock.
 */
public final class ApprovalExpiry {

  private ApprovalExpiry() {}

  /** When the latched approval expires; empty when it never does (no approvalExpiresAfter in the planned target). */
  public static Optional<Instant> expiresAt(MigrationRequestStatus status) {
    if (status == null || status.approval == null || status.approval.recordedAt == null || status.plan == null) {
      return Optional.empty();
    }
    return expiresAt(status.approval, status.plan.target);
  }

  static Optional<Instant> expiresAt(ApprovalStatus approval, PlannedTarget target) {
    if (target == null || target.approvalExpiresAfter == null) {
      return Optional.empty();
    }
    return Optional.of(Instant.parse(approval.recordedAt).plus(Durations.parse(target.approvalExpiresAfter)));
  }

  /** Void at the bound itself: an approval for 5s latched at 12:00:00 no longer launches at 12:00:05. */
  public static boolean expired(MigrationRequestStatus status, Instant now) {
    return status.job == null && expiresAt(status).map(at -> !now.isBefore(at)).orElse(false);
  }

  /**
   * The expired approval stays remembered while the annotations still name it: approved-by with the
   * same approver and the same or no digest, or an approval annotation of one of its approvers for
   * its digest. They would otherwise latch again at once (a replan on an unchanged database gives the
   * same digest). Empty once none does.
   */
  static ApprovalStatus stillNamed(ApprovalStatus expired, RequestAnnotations a) {
    if (expired == null) {
      return null;
    }
    boolean legacy = a.approvedBy() != null && a.approvedBy().equals(expired.approvedBy)
        && (a.approvedDigest() == null || Objects.equals(a.approvedDigest(), expired.digest));
    boolean byRule = a.approvals().stream().anyMatch(approval -> Objects.equals(approval.digest(), expired.digest)
        && expired.approvers != null && expired.approvers.contains(approval.user()));
    return legacy || byRule ? expired : null;
  }

  /** What the request says while its expired approval is still annotated. */
  static String message(MigrationRequestStatus status, String request) {
    ApprovalStatus expired = status.expiredApproval;
    return "the approval by " + expired.approvedBy + ", first seen by the operator at " + expired.recordedAt
        + ", was not used within " + status.plan.target.approvalExpiresAfter + " (MigrationTarget "
        + status.plan.target.name + " approvalExpiresAfter) and is void; review the plan " + status.plan.digest
        + " in status and approve again: remove the approval (kubectl annotate mr " + request + " "
        + Annotations.APPROVED_BY + "- " + Annotations.APPROVED_DIGEST + "-, and each " + Annotations.APPROVAL_PREFIX
        + "<key> annotation of it) and, once the request says AwaitingApproval, approve again"
        + " (kubectl migrationgate approve " + request + ")";
  }
}
