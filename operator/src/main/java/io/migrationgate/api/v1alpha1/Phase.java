package io.migrationgate.api.v1alpha1;

/** Where a request stands in the lifecycle; Succeeded, Failed and Rejected are final. */
public enum Phase {
  Pending,
  AwaitingApproval,
  Blocked,
  Rejected,
  Queued,
  Running,
  Succeeded,
  Failed;

  public boolean isFinal() {
    return this == Succeeded || this == Failed || this == Rejected;
  }
}
