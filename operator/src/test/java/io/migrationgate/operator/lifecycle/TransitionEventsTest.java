package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.migrationgate.api.v1alpha1.ApprovalStatus;
import io.migrationgate.api.v1alpha1.Conditions;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.api.v1alpha1.PlanStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransitionEventsTest {

  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Test
  void aNewRequestGetsOneEventThatNamesItsPlan() {
    MigrationRequestStatus planned = status(Phase.AwaitingApproval, Reason.AWAITING_APPROVAL,
        "plan " + DIGEST + " is ready for review: will apply V1");
    planned.plan = plan();

    List<TransitionEvents.Event> events = TransitionEvents.between(null, planned);

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo(Reason.AWAITING_APPROVAL);
      assertThat(e.message()).contains(DIGEST);
    });
  }

  @Test
  void aPlanRecordedByAChangeThatDoesNotNameItGetsItsOwnEvent() {
    MigrationRequestStatus before = status(Phase.Pending, Reason.CHECKING_DATABASE, "reading the database");
    MigrationRequestStatus after = status(Phase.Running, Reason.JOB_CREATED, "creating Job orders-1");
    after.plan = plan();
    after.approval = new ApprovalStatus();
    after.approval.approvedBy = "alice";
    after.approval.digest = DIGEST;

    assertThat(TransitionEvents.between(before, after)).extracting(TransitionEvents.Event::reason)
        .containsExactly(Reason.PLAN_RECORDED, Reason.APPROVED, Reason.JOB_CREATED);
  }

  @Test
  void nothingChangedNothingToSay() {
    MigrationRequestStatus waiting = status(Phase.AwaitingApproval, Reason.AWAITING_APPROVAL, "plan " + DIGEST);
    waiting.plan = plan();

    assertThat(TransitionEvents.between(waiting, waiting)).isEmpty();
  }

  private static PlanStatus plan() {
    PlanStatus plan = new PlanStatus();
    plan.digest = DIGEST;
    return plan;
  }

  private static MigrationRequestStatus status(Phase phase, String reason, String message) {
    MigrationRequestStatus status = new MigrationRequestStatus();
    status.phase = phase;
    Condition ready = new ConditionBuilder().withType(Conditions.READY).withStatus("False")
        .withReason(reason).withMessage(message).build();
    status.conditions = new ArrayList<>(List.of(ready));
    return status;
  }
}
