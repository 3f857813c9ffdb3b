package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.api.v1alpha1.ApprovalRules;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.PlanRisk;
import io.migrationgate.api.v1alpha1.PlanStatus;
import io.migrationgate.api.v1alpha1.PlannedTarget;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** N of M approvals under a target's rule, following the plan's risk. */
class ApprovalRulesTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private static final String OLD = "sha256:" + "b".repeat(64);
  private static final String BOT = "system:serviceaccount:flux-system:kustomize-controller";
  private static final ApprovalPolicy POLICY = new ApprovalPolicy(Set.of());

  private static ApprovalRules twoForDestructiveOneDba() {
    ApprovalRules rules = new ApprovalRules();
    rules.destructive = new ApprovalRules.RiskApprovals();
    rules.destructive.required = 2;
    rules.destructive.requiredGroups = List.of("dba");
    rules.requiredForServiceAccountRequests = 2;
    return rules;
  }

  private static PlanStatus plan(ApprovalRules rules, String risk) {
    PlanStatus plan = new PlanStatus();
    plan.digest = DIGEST;
    plan.target = new PlannedTarget();
    plan.target.name = "orders";
    plan.target.approvals = rules;
    if (risk != null) {
      plan.risk = new PlanRisk();
      plan.risk.level = risk;
    }
    return plan;
  }

  private static RequestAnnotations.Approval approval(String key, String digest, String user, String group) {
    return new RequestAnnotations.Approval(key, digest, user, group);
  }

  private static ApprovalDecision decide(PlanStatus plan, String requestedBy, RequestAnnotations.Approval... approvals) {
    return decide(plan, requestedBy, null, approvals);
  }

  private static ApprovalDecision decide(PlanStatus plan, String requestedBy, String approvedBy,
      RequestAnnotations.Approval... approvals) {
    return POLICY.decide("orders -n team",
        new RequestAnnotations(approvedBy, null, requestedBy, approvedBy == null ? null : DIGEST, List.of(approvals)),
        plan, "1 script(s)");
  }

  @Test
  void oneApprovalIsNotEnoughForADestructivePlanAndTheMessageSaysWhoAndHowMany() {
    var waiting = (ApprovalDecision.Waiting) decide(plan(twoForDestructiveOneDba(), "destructive"), "rita",
        approval("alice", DIGEST, "alice", "dba"));
    assertThat(waiting.reason()).isEqualTo(Reason.AWAITING_APPROVAL);
    assertThat(waiting.message()).contains("1 of 2 distinct approvals, one of them from a member of dba "
        + "(for destructive risk) so far: alice").contains("kubectl migrationgate approve orders -n team");
  }

  @Test
  void twoDistinctApproversOneInTheRequiredGroupApprove() {
    var approved = (ApprovalDecision.Approved) decide(plan(twoForDestructiveOneDba(), "destructive"), "rita",
        approval("alice", DIGEST, "alice", "dba"), approval("bob", DIGEST, "bob", null));
    assertThat(approved.approvers()).containsExactly("alice", "bob");
    assertThat(approved.approvedBy()).isEqualTo("alice, bob");
    assertThat(approved.required()).isEqualTo(2);
  }

  @Test
  void theSameApproverTwiceCountsOnce() {
    var waiting = decide(plan(twoForDestructiveOneDba(), "destructive"), "rita",
        approval("alice", DIGEST, "alice", "dba"), approval("alice-again", DIGEST, "alice", null));
    assertThat(waiting).isInstanceOf(ApprovalDecision.Waiting.class);
    assertThat(((ApprovalDecision.Waiting) waiting).message()).contains("1 of 2")
        .contains("alice again (one person counts once)");
  }

  @Test
  void anApprovedByPairAndAnApprovalAnnotationOfOnePersonCountOnce() {
    var waiting = decide(plan(twoForDestructiveOneDba(), "destructive"), "rita", "alice",
        approval("alice", DIGEST, "alice", "dba"));
    assertThat(((ApprovalDecision.Waiting) waiting).message()).contains("1 of 2 ").contains("so far: alice");
  }

  @Test
  void theRequesterNeverCounts() {
    var waiting = (ApprovalDecision.Waiting) decide(plan(twoForDestructiveOneDba(), "destructive"), "rita",
        approval("alice", DIGEST, "alice", "dba"), approval("rita", DIGEST, "rita", "dba"));
    assertThat(waiting.message()).contains("1 of 2").contains("not counted: rita (the requester)");
  }

  @Test
  void anApprovalOfAnotherDigestDoesNotCount() {
    var waiting = (ApprovalDecision.Waiting) decide(plan(twoForDestructiveOneDba(), "destructive"), "rita",
        approval("alice", DIGEST, "alice", "dba"), approval("bob", OLD, "bob", null));
    assertThat(waiting.message()).contains("bob (approved " + OLD + ", not this plan)");
  }

  @Test
  void twoApproversOutsideTheRequiredGroupAreNotEnough() {
    var waiting = (ApprovalDecision.Waiting) decide(plan(twoForDestructiveOneDba(), "destructive"), "rita",
        approval("alice", DIGEST, "alice", null), approval("bob", DIGEST, "bob", "devs"));
    assertThat(waiting.message()).contains("2 of 2").contains("still needed: an approver in dba");
  }

  @Test
  void aServiceAccountNeverCountsAsAnApprover() {
    var waiting = (ApprovalDecision.Waiting) decide(plan(twoForDestructiveOneDba(), "destructive"), "rita",
        approval("alice", DIGEST, "alice", "dba"), approval("bot", DIGEST, BOT, "dba"));
    assertThat(waiting.message()).contains("1 of 2").contains(BOT + " (a ServiceAccount)");
  }

  @Test
  void aMalformedApprovalNeverCounts() {
    var waiting = (ApprovalDecision.Waiting) decide(plan(twoForDestructiveOneDba(), "low"), "rita",
        approval("alice", "alice", "", null));
    assertThat(waiting.message()).contains("0 of 1 approval so far").contains("not '<digest> <username>'");
  }

  @Test
  void aLowRiskPlanNeedsOneApproverUnderTheSameRule() {
    assertThat(decide(plan(twoForDestructiveOneDba(), "low"), "rita", approval("bob", DIGEST, "bob", null)))
        .isInstanceOf(ApprovalDecision.Approved.class);
  }

  @Test
  void aServiceAccountsRequestNeedsTwoApproversWhateverTheRisk() {
    var waiting = (ApprovalDecision.Waiting) decide(plan(twoForDestructiveOneDba(), "none"), BOT,
        approval("bob", DIGEST, "bob", null));
    assertThat(waiting.message()).contains("1 of 2 distinct approvals (because a ServiceAccount requested it)");
    assertThat(decide(plan(twoForDestructiveOneDba(), "none"), BOT,
        approval("bob", DIGEST, "bob", null), approval("carol", DIGEST, "carol", null)))
        .isInstanceOf(ApprovalDecision.Approved.class);
  }

  @Test
  void destructiveFallsUnderTheHighRuleUnlessItHasItsOwn() {
    ApprovalRules rules = new ApprovalRules();
    rules.high = new ApprovalRules.RiskApprovals();
    rules.high.required = 3;
    assertThat(ApprovalRule.of(rules, "destructive", "rita").required()).isEqualTo(3);
    assertThat(ApprovalRule.of(rules, "high", "rita").required()).isEqualTo(3);
    assertThat(ApprovalRule.of(rules, "low", "rita").required()).isEqualTo(1);
    // Nothing says an unreviewed plan is safe.
    assertThat(ApprovalRule.of(rules, null, "rita").required()).isEqualTo(3);
    rules.destructive = new ApprovalRules.RiskApprovals();
    rules.destructive.required = 2;
    // More risk never needs fewer approvals.
    assertThat(ApprovalRule.of(rules, "destructive", "rita").required()).isEqualTo(3);
  }

  @Test
  void destructivePlansAreRefusedWhereTheTargetDoesNotAllowThem() {
    ApprovalRules rules = new ApprovalRules();
    rules.allowDestructive = false;
    var refused = (ApprovalDecision.Refused) decide(plan(rules, "destructive"), "rita",
        approval("alice", DIGEST, "alice", null), approval("bob", DIGEST, "bob", null));
    assertThat(refused.reason()).isEqualTo(Reason.DESTRUCTIVE_NOT_ALLOWED);
    assertThat(refused.message()).contains("MigrationTarget orders").contains("allowDestructive");
    assertThat(decide(plan(rules, "high"), "rita", "alice")).isInstanceOf(ApprovalDecision.Approved.class);
  }

  @Test
  void withoutARuleTheApprovedByPairDecidesAsBefore() {
    assertThat(decide(plan(null, "destructive"), "rita", "alice"))
        .isEqualTo(new ApprovalDecision.Approved("alice", "rita", DIGEST));
    assertThat(decide(plan(null, "destructive"), "rita", approval("bob", DIGEST, "bob", null)))
        .isEqualTo(new ApprovalDecision.Approved("bob", "rita", DIGEST, List.of("bob"), 1));
  }

  @Test
  void theApprovedByPairCountsAsOneOfTwo() {
    assertThat(decide(plan(twoForDestructiveOneDba(), "destructive"), "rita", "bob",
        approval("alice", DIGEST, "alice", "dba"))).isInstanceOf(ApprovalDecision.Approved.class);
  }

  @Test
  void annotationsParseIntoApprovalsWithTheirGroups() {
    var request = new io.migrationgate.api.v1alpha1.MigrationRequest();
    request.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withAnnotations(java.util.Map.of(
        "approval.migrationgate.io/alice", DIGEST + " alice",
        "approval-group.migrationgate.io/alice", "dba",
        "approval.migrationgate.io/broken", "nothing")).build());
    assertThat(RequestAnnotations.of(request).approvals()).containsExactly(
        approval("alice", DIGEST, "alice", "dba"), approval("broken", "nothing", "", null));
  }
}
