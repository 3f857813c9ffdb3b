package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import io.migrationgate.api.v1alpha1.MigrationTargetStatus;
import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.RunReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When a MigrationTarget's connection check is due, and what a finished check Job says about the
 * target. A check runs for a target the operator has not checked at its current generation (new,
 * or its spec changed), and again every {@code period} (zero: never again). The check Job's name is
 * the target's, so there is at most one per target; it is deleted once its outcome is in status.
 */
public final class TargetChecks {

  public static final String PROGRAM = "check";
  public static final String COMPONENT = "target-check";
  /** On a check Job and its pod: the target it checks. The operator's informer selects on this key. */
  public static final String TARGET_UID_KEY = "migrationgate.io/target-uid";
  /** On a check Job and its pod: the target's name, which may be longer than a label value. */
  public static final String TARGET_ANNOTATION = "migrationgate.io/target";
  /** On a check Job: the target's generation it checks, which becomes status.observedGeneration. */
  public static final String GENERATION_KEY = "migrationgate.io/target-generation";
  /** A connection attempt is bounded by the runner's connect timeout; this covers a pod that is slow to start. */
  public static final Duration DEADLINE = Duration.ofMinutes(2);

  public static final String REACHED = "Connected";
  public static final String NOT_CHECKED = "NotCheckedYet";
  public static final String CHECK_FAILED = "CheckFailed";

  private TargetChecks() {}

  public static String jobName(MigrationTarget target) {
    return "mg-check-" + target.getMetadata().getUid();
  }

  public static Map<String, String> labels(MigrationTarget target) {
    return Map.of(
        OwnedLabels.COMPONENT_KEY, COMPONENT,
        TARGET_UID_KEY, target.getMetadata().getUid(),
        GENERATION_KEY, String.valueOf(target.getMetadata().getGeneration()));
  }

  public static Map<String, String> annotations(MigrationTarget target) {
    return Map.of(TARGET_ANNOTATION, target.getMetadata().getName());
  }

  /**
   * How long until the next check: zero when one is due now; empty when none is due again (the
   * current generation was checked and periodic checks are off).
   */
  public static Optional<Duration> dueIn(MigrationTarget target, Instant now, Duration period) {
    if (Boolean.TRUE.equals(target.getSpec().production)) {
      return Optional.empty();
    }
    MigrationTargetStatus status = target.getStatus();
    if (status == null || status.lastCheckedAt == null
        || !target.getMetadata().getGeneration().equals(status.observedGeneration)) {
      return Optional.of(Duration.ZERO);
    }
    if (period.isZero()) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, Instant.parse(status.lastCheckedAt).plus(period));
    return Optional.of(left.isNegative() ? Duration.ZERO : left);
  }

  /** What a check Job's observation says; empty while it has not concluded. */
  public static Optional<Condition> reachable(JobObservation observation) {
    Optional<RunReport> report = report(observation.terminationMessage());
    switch (observation.state()) {
      case SUCCEEDED:
        return Optional.of(condition("True", REACHED, report.map(RunReport::message)
            .orElse("the check Job connected read-only with the target's credentials")));
      case FAILED:
        if (report.isPresent() && report.get().outcome() != null && report.get().outcome() != Outcome.SUCCEEDED) {
          // The runner's words for a failed connection are fixed ones that name no credential.
          return Optional.of(condition("False", report.get().outcome().conditionReason(), report.get().message()));
        }
        return Optional.of(condition("False", Reason.DEADLINE_EXCEEDED.equals(observation.reason())
            ? Reason.DEADLINE_EXCEEDED : CHECK_FAILED, observation.message()));
      default:
        // A pod that cannot start will not start by itself soon: the check says so now, not at its deadline.
        return observation.podWaiting() || Reason.POD_CONFIG_ERROR.equals(observation.reason())
            ? Optional.of(condition("False", observation.reason(), observation.message()))
            : Optional.empty();
    }
  }

  /** The status after a check Job of {@code job}'s generation concluded with {@code reachable}. */
  public static MigrationTargetStatus checked(MigrationTarget target, Job job, Condition reachable, Instant now) {
    MigrationTargetStatus previous = target.getStatus() == null ? new MigrationTargetStatus() : target.getStatus();
    MigrationTargetStatus next = new MigrationTargetStatus();
    next.observedGeneration = Long.valueOf(job.getMetadata().getLabels().get(GENERATION_KEY));
    next.lastCheckedAt = now.toString();
    next.conditions = new ArrayList<>(previous.conditions);
    next.conditions.removeIf(c -> MigrationTargetStatus.REACHABLE.equals(c.getType()));
    next.conditions.add(0, reachable);
    next.conditions = carried(next.conditions, previous.conditions, next.observedGeneration, now.toString());
    return next;
  }

  /**
   * A target never checked yet says so, rather than having no Reachable condition at all. A
   * production target is never checked: Migration Gate does not connect to production, not even
   * read-only.
   */
  public static Condition notCheckedYet(MigrationTarget target, Instant now) {
    Condition unknown = Boolean.TRUE.equals(target.getSpec().production)
        ? condition("Unknown", Reason.PRODUCTION_TARGET, "a production target is never connected to, not even to "
            + "check it: Migration Gate refuses every request that names it")
        : condition("Unknown", NOT_CHECKED, "a read-only connection check Job is queued or running");
    return carried(List.of(unknown), List.of(), target.getMetadata().getGeneration(), now.toString()).get(0);
  }

  static Condition condition(String status, String reason, String message) {
    return new ConditionBuilder().withType(MigrationTargetStatus.REACHABLE).withStatus(status).withReason(reason)
        .withMessage(message).build();
  }

  /** {@code lastTransitionTime} moves only when a condition's status changes. */
  static List<Condition> carried(List<Condition> desired, List<Condition> previous, Long generation, String now) {
    List<Condition> out = new ArrayList<>();
    for (Condition c : desired) {
      Condition copy = new ConditionBuilder(c).withObservedGeneration(generation).build();
      copy.setLastTransitionTime(previous.stream()
          .filter(p -> p.getType().equals(c.getType()) && p.getStatus().equals(c.getStatus()))
          .map(Condition::getLastTransitionTime).findFirst().orElse(now));
      out.add(copy);
    }
    return out;
  }

  private static Optional<RunReport> report(String terminationMessage) {
    if (terminationMessage == null) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(RunReport.parse(terminationMessage));
    } catch (RuntimeException e) {
      // Not a report (the log tail of a runner that died early): the Job's own words stand.
      return Optional.empty();
    }
  }
}
