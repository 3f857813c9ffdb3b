package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * A target's approval rule (MigrationTarget.spec.approvals): how many distinct people approve a plan,
 * who may, and how that follows the plan's risk. Absent, one approver from the chart's approver
 * groups approves, as before rules existed. The plan records a copy (status.plan.target.approvals).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.approverGroups) || !has(self.high) || !has(self.high.requiredGroups)"
        + " || self.high.requiredGroups.all(g, g in self.approverGroups)",
    message = "approvals.high.requiredGroups must be among approvals.approverGroups: nobody else may approve at all")
@ValidationRule(
    value = "!has(self.approverGroups) || !has(self.destructive) || !has(self.destructive.requiredGroups)"
        + " || self.destructive.requiredGroups.all(g, g in self.approverGroups)",
    message = "approvals.destructive.requiredGroups must be among approvals.approverGroups: nobody else may approve "
        + "at all")
@ValidationRule(
    value = "!has(self.allowDestructive) || self.allowDestructive || !has(self.destructive)",
    message = "approvals.destructive sets who approves destructive plans, but allowDestructive is false and refuses "
        + "them: remove one of the two")
public class ApprovalRules {

  @Min(1)
  @Max(10)
  @JsonPropertyDescription("How many distinct people must approve the plan's digest (default 1). The requester never "
      + "counts, nor does one person twice. Plans of high or destructive risk may need more (high, destructive).")
  public Integer required;

  @Size(max = 20)
  @JsonPropertyDescription("Who may approve requests for this target at all: members of at least one of these groups "
      + "(the API server's request.userInfo.groups), checked by the chart's admission policy, in addition to the "
      + "chart's approver groups. Absent: every member of the chart's approver groups.")
  public List<@Size(min = 1, max = 253) String> approverGroups;

  @Min(2)
  @Max(10)
  @JsonPropertyDescription("At least this many distinct approvers when a ServiceAccount created the request "
      + "(requested-by starts with system:serviceaccount:, e.g. a GitOps controller or CI), whose author the "
      + "cluster cannot name: typically 2. Absent: such requests need what others need.")
  public Integer requiredForServiceAccountRequests;

  @JsonPropertyDescription("The rule for plans of high risk (status.plan.risk.level high) and, unless destructive "
      + "says otherwise, destructive ones.")
  public RiskApprovals high;

  @JsonPropertyDescription("The rule for plans of destructive risk; absent, the high rule applies to them too.")
  public RiskApprovals destructive;

  @JsonPropertyDescription("Whether destructive plans (dropping or truncating data, renames) may run against this "
      + "target at all (default true). False refuses them (DestructiveNotAllowed) whoever approves.")
  public Boolean allowDestructive;

  /** What a risk level needs beyond the target's general rule. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RiskApprovals {

    @Min(1)
    @Max(10)
    @JsonPropertyDescription("How many distinct people must approve a plan of this risk; never fewer than "
        + "approvals.required (the larger of the two applies).")
    public Integer required;

    @Size(min = 1, max = 20)
    @JsonPropertyDescription("At least one approver must be a member of one of these groups, e.g. the DBAs. The "
        + "admission policy checks the membership when the approver names the group in "
        + "approval-group.migrationgate.io/<key> (kubectl migrationgate approve does); the operator trusts what "
        + "admission let in.")
    public List<@Size(min = 1, max = 253) String> requiredGroups;
  }
}
