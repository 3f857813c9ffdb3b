package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.api.v1alpha1.DatabaseCheck;
import io.migrationgate.api.v1alpha1.PlanStatus;
import io.migrationgate.contract.PlannedState;
import io.migrationgate.contract.ScriptsDigest;
import io.migrationgate.operator.Requests;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan's two digests: the scripts', and the approval's that adds the database state. */
class ApprovalDigestsTest {

  private static final String SCRIPTS = ScriptsDigest.of(Requests.SCRIPTS);

  private static PlanStatus plan(String digest, String state) {
    PlanStatus plan = new PlanStatus();
    plan.scriptsDigest = SCRIPTS;
    plan.digest = digest;
    if (state != null) {
      plan.check = new DatabaseCheck();
      plan.check.mode = DatabaseCheck.DATABASE;
      plan.check.state = state;
    }
    return plan;
  }

  @Test
  void aScriptsOnlyPlanIsApprovedByTheScriptsDigest() {
    assertThat(ApprovalDigests.consistent(plan(SCRIPTS, null))).isTrue();
    assertThat(ApprovalDigests.plannedState(plan(SCRIPTS, null))).isEmpty();
  }

  @Test
  void aDatabasePlanIsApprovedByADigestThatCoversTheStateAndOnlyThatOne() {
    PlannedState state = PlannedState.of("1", List.of());
    String approval = ApprovalDigests.approval(SCRIPTS, java.util.Optional.of(state), java.util.Optional.empty());
    assertThat(approval).isNotEqualTo(SCRIPTS).startsWith(ScriptsDigest.PREFIX);

    assertThat(ApprovalDigests.consistent(plan(approval, state.toString()))).isTrue();
    assertThat(ApprovalDigests.consistent(plan(SCRIPTS, state.toString())))
        .as("the scripts' digest alone does not approve a plan that read the database").isFalse();
    assertThat(ApprovalDigests.consistent(plan(approval, PlannedState.of("2", List.of()).toString())))
        .as("another database state").isFalse();
  }

  @Test
  void aReviewedPlanIsApprovedByADigestThatAlsoCoversTheReview() {
    PlannedState state = PlannedState.of("1", List.of());
    String review = ScriptsDigest.PREFIX + "b".repeat(64);
    String approval = ApprovalDigests.approval(SCRIPTS, java.util.Optional.of(state), java.util.Optional.of(review));
    PlanStatus plan = plan(approval, state.toString());
    plan.risk = new io.migrationgate.api.v1alpha1.PlanRisk();
    plan.risk.digest = review;
    assertThat(ApprovalDigests.consistent(plan)).isTrue();
    plan.risk.digest = ScriptsDigest.PREFIX + "c".repeat(64);
    assertThat(ApprovalDigests.consistent(plan)).as("another review").isFalse();
    plan.risk = null;
    assertThat(ApprovalDigests.consistent(plan)).as("the review removed from status").isFalse();
  }

  @Test
  void anImageIsPinnedByTheDigestInItsReference() {
    assertThat(ApprovalDigests.ofImage("registry.example/m@sha256:" + "a".repeat(64))).isEqualTo("sha256:" + "a".repeat(64));
  }
}
