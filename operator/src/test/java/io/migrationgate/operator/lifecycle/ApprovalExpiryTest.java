package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.api.v1alpha1.ApprovalStatus;
import io.migrationgate.api.v1alpha1.JobStatus;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.PlanStatus;
import io.migrationgate.api.v1alpha1.PlannedTarget;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a latched approval is void, on the operator's own recorded time and a fixed now. */
class ApprovalExpiryTest {

  private static MigrationRequestStatus latched(String recordedAt, String expiresAfter) {
    MigrationRequestStatus status = new MigrationRequestStatus();
    status.plan = new PlanStatus();
    status.plan.target = new PlannedTarget();
    status.plan.target.approvalExpiresAfter = expiresAfter;
    status.approval = new ApprovalStatus();
    status.approval.approvedBy = "alice";
    status.approval.digest = "sha256:abc";
    status.approval.recordedAt = recordedAt;
    return status;
  }

  @Test
  void voidAtTheBoundNotBefore() {
    MigrationRequestStatus status = latched("2026-12-07T12:00:00Z", "5s");
    assertThat(ApprovalExpiry.expiresAt(status)).contains(Instant.parse("2026-12-07T12:00:05Z"));
    assertThat(ApprovalExpiry.expired(status, Instant.parse("2026-12-07T12:00:04.999Z"))).isFalse();
    assertThat(ApprovalExpiry.expired(status, Instant.parse("2026-12-07T12:00:05Z"))).isTrue();
  }

  @Test
  void withoutExpiryAnApprovalNeverExpires() {
    MigrationRequestStatus status = latched("2026-12-07T12:00:00Z", null);
    assertThat(ApprovalExpiry.expiresAt(status)).isEmpty();
    assertThat(ApprovalExpiry.expired(status, Instant.parse("2036-12-07T12:00:00Z"))).isFalse();
  }

  @Test
  void anApprovalThatLaunchedItsRunNeverExpires() {
    MigrationRequestStatus status = latched("2026-12-07T12:00:00Z", "5s");
    status.job = new JobStatus();
    status.job.name = "orders-run";
    assertThat(ApprovalExpiry.expired(status, Instant.parse("2026-12-07T13:00:00Z"))).isFalse();
  }

  @Test
  void anExpiredApprovalIsRememberedWhileTheAnnotationsStillNameIt() {
    ApprovalStatus expired = latched("2026-12-07T12:00:00Z", "5s").approval;
    assertThat(ApprovalExpiry.stillNamed(expired, new RequestAnnotations("alice", null, "bob", null))).isSameAs(expired);
    assertThat(ApprovalExpiry.stillNamed(expired, new RequestAnnotations("alice", null, "bob", "sha256:abc")))
        .isSameAs(expired);
    assertThat(ApprovalExpiry.stillNamed(expired, new RequestAnnotations("alice", null, "bob", "sha256:new")))
        .as("a digest of the fresh plan is a fresh approval").isNull();
    assertThat(ApprovalExpiry.stillNamed(expired, new RequestAnnotations("carol", null, "bob", null))).isNull();
    assertThat(ApprovalExpiry.stillNamed(expired, new RequestAnnotations(null, null, "bob", null)))
        .as("removed: the next value is a fresh approval").isNull();
  }

  @Test
  void anExpiredApprovalByRuleIsRememberedWhileAnApproverStillApprovesItsDigest() {
    ApprovalStatus expired = latched("2026-12-07T12:00:00Z", "5s").approval;
    expired.approvers = new java.util.ArrayList<>(java.util.List.of("alice", "dana"));
    RequestAnnotations.Approval dana = new RequestAnnotations.Approval("dana", expired.digest, "dana", null);
    assertThat(ApprovalExpiry.stillNamed(expired, new RequestAnnotations(null, null, "bob", null, java.util.List.of(dana))))
        .as("the same plan, the same approver: it would latch again at once").isSameAs(expired);
    RequestAnnotations.Approval fresh = new RequestAnnotations.Approval("dana", "sha256:new", "dana", null);
    assertThat(ApprovalExpiry.stillNamed(expired, new RequestAnnotations(null, null, "bob", null, java.util.List.of(fresh))))
        .as("an approval of the fresh plan").isNull();
    RequestAnnotations.Approval other = new RequestAnnotations.Approval("erin", expired.digest, "erin", null);
    assertThat(ApprovalExpiry.stillNamed(expired, new RequestAnnotations(null, null, "bob", null, java.util.List.of(other))))
        .as("someone who was not among its approvers").isNull();
  }
}
