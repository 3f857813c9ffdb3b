package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.Condition;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which Events a status change deserves: the plan, the approval and every change of phase or reason,
 * each said once (an Event is a write on the API server, and a burst of new requests is bounded by
 * writes).
 */
public final class TransitionEvents {

  public record Event(String reason, String message, boolean warning) {}

  private static final Set<Phase> WARNING_PHASES = Set.of(Phase.Failed, Phase.Blocked, Phase.Rejected);

  private TransitionEvents() {}

  public static List<Event> between(MigrationRequestStatus before, MigrationRequestStatus after) {
    List<Event> events = new ArrayList<>();
    MigrationRequestStatus old = before == null ? new MigrationRequestStatus() : before;
    boolean expired = old.approval != null && after.approval == null && after.expiredApproval != null;
    if (expired) {
      events.add(new Event(Reason.APPROVAL_EXPIRED, "the approval by " + after.expiredApproval.approvedBy
          + " was not used within " + after.plan.target.approvalExpiresAfter + " and is void; the request waits for a "
          + "fresh approval" + (replans(after) > replans(old) ? " of a fresh plan (plan Job " + after.plan.check.job
          + " reads the database again)" : ""), true));
    } else if (replans(after) > replans(old)) {
      events.add(new Event(Reason.REPLANNED, "a fresh plan was asked for (migrationgate.io/replan="
          + after.plan.check.replanToken + "); plan Job " + after.plan.check.job + " reads the database again, "
          + "and approvals given before it no longer count", false));
    }
    if (old.approval == null && after.approval != null) {
      events.add(new Event(Reason.APPROVED, "approved by " + after.approval.approvedBy
          + " for plan " + after.approval.digest, false));
    }
    if (after.evidence != null && after.evidence.problem != null
        && (old.evidence == null || old.evidence.problem == null)) {
      events.add(new Event(Reason.EVIDENCE_NOT_RECORDED, after.evidence.problem, true));
    }
    Condition oldReady = StatusConditions.ready(old).orElse(null);
    Condition newReady = StatusConditions.ready(after).orElse(null);
    Event changed = newReady != null && (old.phase != after.phase
        || oldReady == null || !Objects.equals(oldReady.getReason(), newReady.getReason()))
        ? new Event(newReady.getReason(), after.phase + ": " + newReady.getMessage(), WARNING_PHASES.contains(after.phase))
        : null;
    // A new plan is announced once: by the change it brings (AwaitingApproval names the digest), or,
    // when that change does not name it, by an Event of its own.
    boolean hadDigest = old.plan != null && old.plan.digest != null;
    if (!hadDigest && after.plan != null && after.plan.digest != null
        && (changed == null || !changed.message().contains(after.plan.digest))) {
      events.add(0, new Event(Reason.PLAN_RECORDED, "plan " + after.plan.digest + " recorded", false));
    }
    if (changed != null) {
      events.add(changed);
    }
    return events;
  }

  private static int replans(MigrationRequestStatus status) {
    return status.plan == null || status.plan.check == null || status.plan.check.replans == null
        ? 0 : status.plan.check.replans;
  }
}
