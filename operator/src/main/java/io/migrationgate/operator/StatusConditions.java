package io.migrationgate.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.migrationgate.api.v1alpha1.Conditions;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * Derives the seven conditions from the phase and the reason the request is where it is. A
 * condition whose status did not change keeps its lastTransitionTime, so watchers and
 * {@code kubectl wait} see transitions, not rewrites.
 */
public final class StatusConditions {

  /** Why the request stands where it does; the approval reason, when known, explains Approved. */
  public record Verdict(Phase phase, String reason, String message, String approvalReason, String approvalMessage) {}

  private StatusConditions() {}

  public static List<Condition> derive(
      MigrationRequestStatus status, Verdict v, List<Condition> previous, Long generation, String now) {
    List<Condition> desired = new ArrayList<>();
    boolean succeeded = v.phase() == Phase.Succeeded;
    desired.add(status.plan != null
        ? condition(Conditions.PLANNED, true, Reason.PLAN_RECORDED, planMessage(status))
        : condition(Conditions.PLANNED, false, v.reason(), v.message()));
    if (status.approval != null) {
      desired.add(condition(Conditions.APPROVED, true, Reason.APPROVED,
          "approved by " + status.approval.approvedBy + " for plan " + status.approval.digest));
    } else if (v.approvalReason() != null) {
      desired.add(condition(Conditions.APPROVED, false, v.approvalReason(), v.approvalMessage()));
    } else {
      desired.add(condition(Conditions.APPROVED, false, v.reason(), v.message()));
    }
    desired.add(v.phase() == Phase.Blocked
        ? condition(Conditions.BLOCKED, true, v.reason(), v.message())
        : condition(Conditions.BLOCKED, false, Reason.NAMESPACE_ALLOWED, "the namespace is not blocked"));
    desired.add(v.phase() == Phase.Running
        ? condition(Conditions.RUNNING, true, v.reason(), v.message())
        : status.job != null && v.phase().isFinal()
            ? condition(Conditions.RUNNING, false, Reason.JOB_FINISHED, "the Job is over")
            : condition(Conditions.RUNNING, false, v.reason(), v.message()));
    desired.add(condition(Conditions.SUCCEEDED, succeeded, v.reason(), v.message()));
    desired.add(condition(Conditions.FAILED, v.phase() == Phase.Failed, v.reason(), v.message()));
    desired.add(condition(Conditions.READY, succeeded, v.reason(), v.message()));
    return carryTransitionTimes(desired, previous, generation, now);
  }

  private static String planMessage(MigrationRequestStatus status) {
    int count = status.plan.scripts == null ? 0 : status.plan.scripts.size();
    return (status.plan.snapshot == null ? "image source" : count + " script(s) in " + status.plan.snapshot)
        + (status.plan.digest == null ? ", reading the database's state" : ", digest " + status.plan.digest);
  }

  private static Condition condition(String type, boolean isTrue, String reason, String message) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(isTrue ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .build();
  }

  private static List<Condition> carryTransitionTimes(
      List<Condition> desired, List<Condition> previous, Long generation, String now) {
    for (Condition c : desired) {
      c.setObservedGeneration(generation);
      c.setLastTransitionTime(previous == null ? now : previous.stream()
          .filter(p -> p.getType().equals(c.getType()) && p.getStatus().equals(c.getStatus()))
          .map(Condition::getLastTransitionTime)
          .findFirst()
          .orElse(now));
    }
    return desired;
  }
}
