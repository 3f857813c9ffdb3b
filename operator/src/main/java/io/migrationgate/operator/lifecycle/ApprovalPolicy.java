package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.Annotations;
import io.migrationgate.api.v1alpha1.ApprovalStatus;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.PlanStatus;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a planned request is approved, rejected or still waiting. Anything missing or
 * ambiguous means "not approved": the request waits and the condition says why.
 */
public final class ApprovalPolicy {

  /** How Kubernetes names a ServiceAccount as a user. */
  public static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

  private final Set<String> serviceAccountApprovers;

  /**
   * @param serviceAccountApprovers full usernames ({@code system:serviceaccount:<ns>:<name>}) that
   *     may approve although they are ServiceAccounts; everything else with that prefix may not
   */
  public ApprovalPolicy(Set<String> serviceAccountApprovers) {
    this.serviceAccountApprovers = Set.copyOf(serviceAccountApprovers);
  }

  /**
   * An explicit, non-blank rejection; it revokes even a latched approval until the Job exists.
   * Honoured whoever it names, a ServiceAccount included: a rejection can only stop a run, never
   * start one, so refusing it would be the unsafe choice. Who may write it is the admission
   * policy's business.
   */
  public static Optional<ApprovalDecision.Rejected> rejection(RequestAnnotations a) {
    if (a.rejectedBy() == null || a.rejectedBy().isEmpty()) {
      return Optional.empty();
    }
    if (a.approvedBy() != null && !a.approvedBy().isEmpty()) {
      return Optional.of(new ApprovalDecision.Rejected(
          Reason.CONFLICTING_DECISION,
          "approved by " + a.approvedBy() + " and rejected by " + a.rejectedBy()
              + " at the same time; a rejection is final: create a new request to try again"));
    }
    return Optional.of(new ApprovalDecision.Rejected(
        Reason.REJECTED, "rejected by " + a.rejectedBy() + "; create a new request to try again"));
  }

  /** {@code request} names the request as kubectl does: {@code NAME -n NAMESPACE}, for the hints. */
  public ApprovalDecision decide(String request, RequestAnnotations a, PlanStatus plan, String summary) {
    Optional<ApprovalDecision.Rejected> rejected = rejection(a);
    if (rejected.isPresent()) {
      return rejected.get();
    }
    if (a.rejectedBy() != null) {
      return new ApprovalDecision.Waiting(
          Reason.BLANK_DECISION,
          Annotations.REJECTED_BY + " is blank: set it to your username to reject, or remove it");
    }
    if (a.requestedBy() == null || a.requestedBy().isEmpty()) {
      // Without a requester no approval can be told from a self-approval, so none counts.
      return new ApprovalDecision.Waiting(
          Reason.REQUESTER_UNKNOWN,
          "nobody is recorded as the requester (" + Annotations.REQUESTED_BY + " is missing or blank), so no"
              + " approval can be told from a self-approval and none counts; create the request again where the"
              + " chart's admission policies record its creator, or, where no approvals policy guards requested-by, an"
              + " administrator runs: kubectl annotate mr " + request + " " + Annotations.REQUESTED_BY
              + "=<the requester's username>");
    }
    ApprovalRule rule = ApprovalRule.of(plan.target == null ? null : plan.target.approvals,
        plan.risk == null ? null : plan.risk.level, a.requestedBy());
    if (rule.destructiveRefused()) {
      return new ApprovalDecision.Refused(Reason.DESTRUCTIVE_NOT_ALLOWED, "the plan's risk is destructive and "
          + "MigrationTarget " + plan.target.name + " does not allow destructive changes (spec.approvals.allowDestructive"
          + " is false), whoever approves: see status.plan.risk.findings, and create a new request without them");
    }
    ApprovalDecision single = single(request, a, plan, summary);
    if (rule.single() && a.approvals().isEmpty()) {
      return single;
    }
    Optional<String> legacy = single instanceof ApprovalDecision.Approved approved
        ? Optional.of(approved.approvedBy()) : Optional.empty();
    return ApprovalCount.decide(request, a, plan.digest, rule, legacy,
        user -> serviceAccountApprovers.contains(user), summary);
  }

  /** The approved-by and approved-digest pair: the whole decision where one approval is enough. */
  private ApprovalDecision single(String request, RequestAnnotations a, PlanStatus plan, String summary) {
    if (a.approvedBy() == null) {
      return new ApprovalDecision.Waiting(
          Reason.AWAITING_APPROVAL,
          "plan " + plan.digest + " is ready for review: " + summary + "; an approver runs: kubectl annotate --field-manager=migration-gate-approver mr " + request
              + " " + Annotations.APPROVED_BY + "=<their username> " + Annotations.APPROVED_DIGEST + "=" + plan.digest
              + " (or: kubectl migrationgate approve " + request + ")");
    }
    if (a.approvedBy().isEmpty()) {
      return new ApprovalDecision.Waiting(
          Reason.BLANK_DECISION,
          Annotations.APPROVED_BY + " is blank: it must name the approver");
    }
    if (a.approvedBy().equals(a.requestedBy())) {
      return new ApprovalDecision.Waiting(
          Reason.SELF_APPROVAL,
          a.approvedBy() + " requested this migration and cannot approve it; another approver approves in their"
              + " own name: kubectl annotate --overwrite --field-manager=migration-gate-approver mr " + request + " " + Annotations.APPROVED_BY
              + "=<their username>");
    }
    if (a.approvedBy().startsWith(SERVICE_ACCOUNT_PREFIX) && !serviceAccountApprovers.contains(a.approvedBy())) {
      // Approving is a person's act: a GitOps controller that syncs requests must not be able to
      // approve what it syncs. The admission policy refuses this too; this is the second check
      // for clusters without it.
      return new ApprovalDecision.Waiting(
          Reason.SERVICE_ACCOUNT_APPROVAL,
          a.approvedBy() + " is a ServiceAccount and ServiceAccounts do not approve; a person in an approver"
              + " group must approve, or an administrator names this ServiceAccount in MG_APPROVER_SERVICE_ACCOUNTS"
              + " (Helm value approval.serviceAccountApprovers)");
    }
    if (a.approvedDigest() != null && !a.approvedDigest().equals(plan.digest)) {
      return new ApprovalDecision.Waiting(
          Reason.DIGEST_MISMATCH,
          Annotations.APPROVED_DIGEST + " " + a.approvedDigest() + " does not match the plan "
              + plan.digest + "; review the plan in status and pin its digest");
    }
    if (a.approvedDigest() == null && a.approvedBy().equals(plan.approvalBeforePlan)) {
      return new ApprovalDecision.Waiting(
          Reason.APPROVAL_PREDATES_PLAN,
          "approved-by was set before the plan existed; after reviewing the plan, set "
              + Annotations.APPROVED_DIGEST + "=" + plan.digest
              + " or remove approved-by and set it again");
    }
    return new ApprovalDecision.Approved(a.approvedBy(), a.requestedBy(), plan.digest);
  }

  /**
   * An approval seen before the plan is remembered until the annotation goes away or names someone
   * else; from then on a value counts as a fresh approval of the plan shown in status.
   */
  public static String approvalBeforePlan(RequestAnnotations a, PlanStatus plan) {
    return Objects.equals(a.approvedBy(), plan.approvalBeforePlan) ? plan.approvalBeforePlan : null;
  }

  /** What status keeps of an approval once it latched, at {@code recordedAt} by the operator's clock. */
  static ApprovalStatus latched(ApprovalDecision.Approved approved, String recordedAt) {
    ApprovalStatus latched = new ApprovalStatus();
    latched.approvedBy = approved.approvedBy();
    latched.requestedBy = approved.requestedBy();
    latched.digest = approved.digest();
    latched.approvers = new ArrayList<>(approved.approvers());
    latched.required = approved.required();
    latched.recordedAt = recordedAt;
    return latched;
  }
}
