package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.DatabaseCheck;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import java.util.Optional;

/** Reading a request's status, which may be absent altogether (a request never reconciled) or in parts. */
public final class Statuses {

  private Statuses() {}

  /** Succeeded, Failed or Rejected: nothing about the request changes any more. */
  public static boolean isFinal(MigrationRequestStatus status) {
    return status != null && status.phase != null && status.phase.isFinal();
  }

  /** The database half of the plan, once the plan is recorded. */
  public static Optional<DatabaseCheck> planCheck(MigrationRequestStatus status) {
    return status == null || status.plan == null ? Optional.empty() : Optional.ofNullable(status.plan.check);
  }
}
