package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.ApprovalRules;
import io.migrationgate.contract.RiskLevel;
import java.util.ArrayList;
import java.util.List;

/**
 * The rule one plan falls under: the target's approval rule (as the plan copied it) applied to the
 * plan's risk and to who requested it. More risk never needs fewer approvals: the count is the largest
 * that applies. {@code describe} says why, for the waiting message.
 */
record ApprovalRule(int required, List<String> requiredGroups, boolean destructiveRefused, String describe) {

  static final ApprovalRule ONE = new ApprovalRule(1, List.of(), false, "1 approval");

  /**
   * {@code riskLevel} null: the plan was not reviewed (an image source, a plan without the database),
   * so nothing says it is safe: it falls under the high rule.
   */
  static ApprovalRule of(ApprovalRules rules, String riskLevel, String requestedBy) {
    if (rules == null) {
      return ONE;
    }
    RiskLevel risk = riskLevel == null ? RiskLevel.HIGH : RiskLevel.ofWord(riskLevel);
    int required = rules.required == null ? 1 : rules.required;
    List<String> why = new ArrayList<>();
    List<String> groups = List.of();
    if (risk.compareTo(RiskLevel.HIGH) >= 0 && rules.high != null) {
      required = Math.max(required, rules.high.required == null ? 1 : rules.high.required);
      groups = rules.high.requiredGroups == null ? groups : rules.high.requiredGroups;
    }
    if (risk == RiskLevel.DESTRUCTIVE && rules.destructive != null) {
      required = Math.max(required, rules.destructive.required == null ? 1 : rules.destructive.required);
      groups = rules.destructive.requiredGroups == null ? groups : rules.destructive.requiredGroups;
    }
    if (risk.compareTo(RiskLevel.HIGH) >= 0 && (rules.high != null || rules.destructive != null)) {
      why.add("for " + (riskLevel == null ? "an unreviewed plan" : riskLevel + " risk"));
    }
    if (requestedBy != null && requestedBy.startsWith(ApprovalPolicy.SERVICE_ACCOUNT_PREFIX)
        && rules.requiredForServiceAccountRequests != null && rules.requiredForServiceAccountRequests > required) {
      required = rules.requiredForServiceAccountRequests;
      why.add("because a ServiceAccount requested it");
    }
    boolean refused = risk == RiskLevel.DESTRUCTIVE && Boolean.FALSE.equals(rules.allowDestructive);
    String describe = required + (required == 1 ? " approval" : " distinct approvals")
        + (groups.isEmpty() ? "" : ", one of them from a member of " + String.join(" or ", groups))
        + (why.isEmpty() ? "" : " (" + String.join(", ", why) + ")");
    return new ApprovalRule(required, List.copyOf(groups), refused, describe);
  }

  /** Whether the plain approved-by flow decides alone, exactly as before rules existed. */
  boolean single() {
    return required == 1 && requiredGroups.isEmpty();
  }
}
