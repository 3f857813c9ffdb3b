package io.migrationgate.operator.lifecycle;

/** What the annotations say about a planned request. */
public sealed interface ApprovalDecision {

  record Approved(String approvedBy, String requestedBy, String digest) implements ApprovalDecision {}

  /** Final: the request never runs. */
  record Rejected(String reason, String message) implements ApprovalDecision {}

  /** Not approved (yet); the reason says what is missing or wrong and the message how to fix it. */
  record Waiting(String reason, String message) implements ApprovalDecision {}
}
