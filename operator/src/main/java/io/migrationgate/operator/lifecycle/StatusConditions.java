package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.migrationgate.api.v1alpha1.Conditions;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a request's conditions say: the seven lifecycle conditions and kstatus's Reconciling or
 * Stalled, derived from a {@link Verdict}, and the ReconcileError condition of an unexpected
 * failure. A condition whose status did not change keeps its lastTransitionTime, so watchers and
 * {@code kubectl wait} see transitions, not rewrites. The StatusRecorder is the one caller: it
 * renders every condition when it writes a status.
 */
public final class StatusConditions {

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
    kstatus(v.phase()).ifPresent(type -> desired.add(condition(type, true, v.reason(), v.message())));
    return carryTransitionTimes(desired, previous, generation, now);
  }

  /**
   * The conditions with a ReconcileError condition saying {@code message}: an unexpected failure
   * shows on the request, beside the lifecycle's conditions, which keep saying where it stands. A
   * failure repeated keeps the time the failures began.
   */
  public static List<Condition> withReconcileError(
      MigrationRequestStatus status, String reason, String message, String now) {
    String since = status.conditions == null ? null : status.conditions.stream()
        .filter(c -> Conditions.RECONCILE_ERROR.equals(c.getType()))
        .map(Condition::getLastTransitionTime)
        .findFirst().orElse(null);
    Condition error = condition(Conditions.RECONCILE_ERROR, true, reason, StatusMessages.clipped(message));
    error.setObservedGeneration(status.observedGeneration);
    error.setLastTransitionTime(since != null ? since : now);
    List<Condition> conditions = withoutReconcileError(status.conditions);
    conditions.add(error);
    return conditions;
  }

  /** The conditions without a ReconcileError: the reconcile that computed them succeeded. */
  public static List<Condition> withoutReconcileError(List<Condition> conditions) {
    return conditions == null ? new ArrayList<>() : new ArrayList<>(conditions.stream()
        .filter(c -> !Conditions.RECONCILE_ERROR.equals(c.getType()))
        .toList());
  }

  /** The Ready condition: the one that explains the request as a whole. */
  public static Optional<Condition> ready(MigrationRequestStatus status) {
    return status == null || status.conditions == null ? Optional.empty()
        : status.conditions.stream().filter(c -> Conditions.READY.equals(c.getType())).findFirst();
  }

  /**
   * A request that ended before the operator knew kstatus's conditions gets its Stalled from its
   * Ready condition's reason and message, so that Flux does not wait on it forever after an
   * upgrade; a final status is otherwise never rewritten.
   */
  public static List<Condition> withKstatus(MigrationRequestStatus status, String now) {
    Optional<String> type = kstatus(status.phase);
    List<Condition> conditions = status.conditions == null ? new ArrayList<>() : status.conditions;
    Optional<Condition> ready = ready(status);
    if (type.isEmpty() || ready.isEmpty() || conditions.stream().anyMatch(c -> type.get().equals(c.getType()))) {
      return conditions;
    }
    Condition added = condition(type.get(), true, ready.get().getReason(), ready.get().getMessage());
    added.setObservedGeneration(ready.get().getObservedGeneration());
    added.setLastTransitionTime(now);
    List<Condition> upgraded = new ArrayList<>(conditions);
    upgraded.add(added);
    return upgraded;
  }

  /**
   * kstatus reads Reconciling=True as InProgress and Stalled=True as Failed, and only True counts:
   * its own conditions are absent when they do not hold ("abnormal-true"), so these are too. Every
   * phase but Succeeded is one or the other, so that Flux, {@code kubectl wait} and scripts never
   * have to fall back on kstatus's guess from Ready=False, which cannot tell waiting from doomed.
   * AwaitingApproval is Reconciling: the request is on its normal way, waiting for a person is part
   * of it. Blocked is Stalled although it is not final: nothing happens until someone relabels the
   * namespace.
   */
  private static Optional<String> kstatus(Phase phase) {
    return switch (phase) {
      case Pending, AwaitingApproval, Queued, Running -> Optional.of(Conditions.RECONCILING);
      case Blocked, Rejected, Failed -> Optional.of(Conditions.STALLED);
      case Succeeded -> Optional.empty();
    };
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
