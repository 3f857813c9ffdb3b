package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.PlanStatus;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApprovalPolicyTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private static final String ARGOCD = "system:serviceaccount:argocd:argocd-application-controller";
  private static final String RELEASE_BOT = "system:serviceaccount:ci:release-bot";
  private static final ApprovalPolicy POLICY = new ApprovalPolicy(Set.of());

  private static PlanStatus plan(String approvalBeforePlan) {
    PlanStatus plan = new PlanStatus();
    plan.digest = DIGEST;
    plan.approvalBeforePlan = approvalBeforePlan;
    return plan;
  }

  private static ApprovalDecision decide(String approvedBy, String rejectedBy, String requestedBy, String digest) {
    return POLICY.decide("orders -n team", new RequestAnnotations(approvedBy, rejectedBy, requestedBy, digest), plan(null), "2 script(s)");
  }

  @Test
  void noAnnotationWaitsAndTellsHowToApprove() {
    var decision = (ApprovalDecision.Waiting) decide(null, null, "rita", null);
    assertThat(decision.reason()).isEqualTo(Reason.AWAITING_APPROVAL);
    assertThat(decision.message())
        // the field manager keeps Flux from taking over, and then removing, the approval
        .contains("kubectl annotate --field-manager=migration-gate-approver mr orders -n team migrationgate.io/approved-by=<their username> "
            + "migrationgate.io/approved-digest=" + DIGEST);
  }

  @Test
  void approverOtherThanRequesterApprovesThePlanDigest() {
    assertThat(decide("alice", null, "rita", null))
        .isEqualTo(new ApprovalDecision.Approved("alice", "rita", DIGEST));
  }

  @Test
  void approvalWithMatchingPinnedDigestApproves() {
    assertThat(decide("alice", null, "rita", DIGEST)).isInstanceOf(ApprovalDecision.Approved.class);
  }

  @Test
  void blankApprovalIsNotAnApproval() {
    assertThat(((ApprovalDecision.Waiting) decide("", null, "rita", null)).reason()).isEqualTo(Reason.BLANK_DECISION);
  }

  @Test
  void blankRejectionIsAmbiguousAndNotAnApproval() {
    assertThat(((ApprovalDecision.Waiting) decide("alice", "", "rita", null)).reason()).isEqualTo(Reason.BLANK_DECISION);
  }

  @Test
  void requesterCannotApproveTheirOwnRequest() {
    var decision = (ApprovalDecision.Waiting) decide("rita", null, "rita", null);
    assertThat(decision.reason()).isEqualTo(Reason.SELF_APPROVAL);
    assertThat(decision.message()).contains("rita", "another approver approves in their own name",
        "kubectl annotate --overwrite --field-manager=migration-gate-approver mr orders -n team");
  }

  @Test
  void withoutARecordedRequesterNobodyApprovesAndTheMessageSaysHowToFixIt() {
    for (String unknown : new String[] {null, ""}) {
      for (String approver : new String[] {null, "alice", "rita"}) {
        var decision = (ApprovalDecision.Waiting) decide(approver, null, unknown, DIGEST);
        assertThat(decision.reason()).as("approved by %s, requested by %s", approver, unknown)
            .isEqualTo(Reason.REQUESTER_UNKNOWN);
        assertThat(decision.message()).contains("migrationgate.io/requested-by is missing",
            "create the request again where the chart's admission policies record its creator",
            "kubectl annotate mr orders -n team migrationgate.io/requested-by=<the requester's username>");
      }
    }
  }

  @Test
  void withoutARecordedRequesterARejectionStillRejects() {
    assertThat(((ApprovalDecision.Rejected) decide(null, "bob", null, null)).reason()).isEqualTo(Reason.REJECTED);
  }

  @Test
  void pinnedDigestOfAnotherPlanIsNotAnApproval() {
    var decision = (ApprovalDecision.Waiting) decide("alice", null, "rita", "sha256:" + "b".repeat(64));
    assertThat(decision.reason()).isEqualTo(Reason.DIGEST_MISMATCH);
    assertThat(decision.message()).contains(DIGEST);
  }

  @Test
  void rejectionIsFinal() {
    var decision = (ApprovalDecision.Rejected) decide(null, "bob", "rita", null);
    assertThat(decision.reason()).isEqualTo(Reason.REJECTED);
    assertThat(decision.message()).contains("bob");
  }

  @Test
  void approvalAndRejectionTogetherAreAConflictThatRejects() {
    assertThat(((ApprovalDecision.Rejected) decide("alice", "bob", "rita", null)).reason())
        .isEqualTo(Reason.CONFLICTING_DECISION);
  }

  @Test
  void approvalThatPredatesThePlanCountsOnlyWithAPinnedDigest() {
    var unpinned = POLICY.decide("orders -n team", new RequestAnnotations("alice", null, "rita", null), plan("alice"), "2 script(s)");
    assertThat(((ApprovalDecision.Waiting) unpinned).reason()).isEqualTo(Reason.APPROVAL_PREDATES_PLAN);
    var pinned = POLICY.decide("orders -n team", new RequestAnnotations("alice", null, "rita", DIGEST), plan("alice"), "2 script(s)");
    assertThat(pinned).isInstanceOf(ApprovalDecision.Approved.class);
  }

  @Test
  void approvalBeforePlanIsForgottenOnceTheAnnotationIsRemovedOrChanged() {
    assertThat(ApprovalPolicy.approvalBeforePlan(new RequestAnnotations("alice", null, null, null), plan("alice"))).isEqualTo("alice");
    assertThat(ApprovalPolicy.approvalBeforePlan(new RequestAnnotations(null, null, null, null), plan("alice"))).isNull();
    assertThat(ApprovalPolicy.approvalBeforePlan(new RequestAnnotations("carol", null, null, null), plan("alice"))).isNull();
  }

  @Test
  void approvalByADifferentPersonThanTheOneBeforeThePlanIsFresh() {
    var decision = POLICY.decide("orders -n team", new RequestAnnotations("carol", null, "rita", null), plan("alice"), "2 script(s)");
    assertThat(decision).isInstanceOf(ApprovalDecision.Approved.class);
  }

  @Test
  void aServiceAccountDoesNotApproveUnlessNamed() {
    var decision = (ApprovalDecision.Waiting) decide(ARGOCD, null, "rita", DIGEST);
    assertThat(decision.reason()).isEqualTo(Reason.SERVICE_ACCOUNT_APPROVAL);
    assertThat(decision.message()).contains(ARGOCD, "MG_APPROVER_SERVICE_ACCOUNTS", "approval.serviceAccountApprovers");

    ApprovalPolicy allowing = new ApprovalPolicy(Set.of(RELEASE_BOT));
    assertThat(allowing.decide("orders -n team", new RequestAnnotations(RELEASE_BOT, null, "rita", null), plan(null), "2 script(s)"))
        .isEqualTo(new ApprovalDecision.Approved(RELEASE_BOT, "rita", DIGEST));
    var other = allowing.decide("orders -n team", new RequestAnnotations(ARGOCD, null, "rita", null), plan(null), "2 script(s)");
    assertThat(((ApprovalDecision.Waiting) other).reason()).isEqualTo(Reason.SERVICE_ACCOUNT_APPROVAL);
  }

  @Test
  void aServiceAccountsRejectionIsHonouredBecauseItCanOnlyStopARun() {
    assertThat(((ApprovalDecision.Rejected) decide(null, ARGOCD, "rita", null)).reason()).isEqualTo(Reason.REJECTED);
    assertThat(ApprovalPolicy.rejection(new RequestAnnotations(null, ARGOCD, "rita", null))).isPresent();
  }
}
