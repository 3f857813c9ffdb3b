package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.DatabaseCheck;
import io.migrationgate.api.v1alpha1.PlanStatus;
import io.migrationgate.contract.PlannedState;
import java.util.Optional;

/**
 * The two digests of a plan. The scripts' digest is what the snapshot (or image) must hash to and
 * what the runner checks; the plan's digest, which an approval pins, is that digest combined with the
 * planned database state and the review of the scripts when the database was consulted, so an
 * approval names one concrete change and what the approver was told about it.
 */
final class ApprovalDigests {

  private ApprovalDigests() {}

  /** The scripts' digest of an image source: the digest its reference is pinned to (the schema requires one). */
  static String ofImage(String ref) {
    return ref.substring(ref.indexOf('@') + 1);
  }

  static String scripts(PlanStatus plan) {
    return plan.scriptsDigest != null ? plan.scriptsDigest : plan.digest;
  }

  /** The database state the run must find, when a plan Job read it; empty for a scripts-only plan. */
  static Optional<PlannedState> plannedState(PlanStatus plan) {
    DatabaseCheck check = plan.check;
    if (check == null || !DatabaseCheck.DATABASE.equals(check.mode) || check.state == null) {
      return Optional.empty();
    }
    return Optional.of(PlannedState.parse(check.state));
  }

  /** The review's digest, when the plan Job reviewed the scripts (a runner from before the review did not). */
  static Optional<String> review(PlanStatus plan) {
    return plan.risk == null ? Optional.empty() : Optional.ofNullable(plan.risk.digest);
  }

  static String approval(String scriptsDigest, Optional<PlannedState> state, Optional<String> review) {
    if (state.isEmpty()) {
      return scriptsDigest;
    }
    return review.map(r -> PlannedState.approvalDigest(scriptsDigest, state.get(), r))
        .orElseGet(() -> PlannedState.approvalDigest(scriptsDigest, state.get()));
  }

  /** Whether the plan's digest is the one its parts make: a status edited by hand would not be. */
  static boolean consistent(PlanStatus plan) {
    return plan.digest != null && plan.digest.equals(approval(scripts(plan), plannedState(plan), review(plan)));
  }
}
