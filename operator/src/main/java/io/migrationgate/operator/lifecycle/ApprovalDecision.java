package io.migrationgate.operator.lifecycle;

import java.util.List;

/** What the annotations say about a planned request. */
public sealed interface ApprovalDecision {

  /** {@code approvers} lists each person once; empty when approved-by alone approved, as before rules. */
  record Approved(String approvedBy, String requestedBy, String digest, List<String> approvers, Integer required)
      implements ApprovalDecision {

    Approved(String approvedBy, String requestedBy, String digest) {
      this(approvedBy, requestedBy, digest, List.of(), null);
    }
  }

  /** Final: the request never runs. */
  record Rejected(String reason, String message) implements ApprovalDecision {}

  /** The target's rule refuses the plan whoever approves (the request is Blocked). */
  record Refused(String reason, String message) implements ApprovalDecision {}

  /** Not approved (yet); the reason says what is missing or wrong and the message how to fix it. */
  record Waiting(String reason, String message) implements ApprovalDecision {}
}
