package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.DatabaseSpec;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.api.v1alpha1.PlanStatus;
import io.migrationgate.api.v1alpha1.PlannedTarget;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a request may use the database it names. A MigrationTarget must exist, admit the
 * request's namespace and not be production; an inline database only where the installation allows
 * them. Once planned, the target must still be the one the plan read: the Jobs are built from the
 * plan's copy, and an approval covers that copy only.
 */
public final class TargetAdmission {

  private final boolean inlineDatabases;

  /** {@code inlineDatabases}: whether requests may carry their own database (chart value inlineDatabases.enabled). */
  public TargetAdmission(boolean inlineDatabases) {
    this.inlineDatabases = inlineDatabases;
  }

  /** Why the request may not go on with its database, if it may not. */
  public Optional<Verdict> refusal(MigrationRequest request, Optional<MigrationTarget> target,
      Map<String, String> namespaceLabels, PlanStatus plan) {
    String name = request.getSpec().migrationTargetName;
    if (name == null) {
      if (!inlineDatabases) {
        return Optional.of(Verdict.of(Phase.Blocked, Reason.INLINE_DATABASES_DISABLED,
            "this installation takes databases only from MigrationTargets the platform registers (chart value "
                + "inlineDatabases.enabled is false): create a new request with spec.migrationTargetName instead of "
                + "spec.database (kubectl get migrationtargets lists them)"));
      }
      // For an inline database, target is a production target at its address, whatever the spelling.
      return target.map(production -> Verdict.of(Phase.Blocked, Reason.PRODUCTION_TARGET, "spec.database.url names "
          + "the database of MigrationTarget " + production.getMetadata().getName() + ", a production database: "
          + "Migration Gate never runs against production"));
    }
    if (target.isEmpty()) {
      return Optional.of(Verdict.of(Phase.Pending, Reason.TARGET_NOT_FOUND, "MigrationTarget " + name
          + " does not exist; the request waits for the platform team to create it (kubectl get migrationtargets)"));
    }
    MigrationTarget found = target.get();
    if (Boolean.TRUE.equals(found.getSpec().production)) {
      return Optional.of(Verdict.of(Phase.Blocked, Reason.PRODUCTION_TARGET, "MigrationTarget " + name
          + " is a production database: Migration Gate never runs against production"));
    }
    if (!LabelSelectors.matches(found.getSpec().namespaceSelector, namespaceLabels)) {
      return Optional.of(Verdict.of(Phase.Blocked, Reason.TARGET_NOT_ALLOWED, "MigrationTarget " + name
          + " does not admit namespace " + request.getMetadata().getNamespace() + " (its namespaceSelector: "
          + LabelSelectors.describe(found.getSpec().namespaceSelector) + "); ask the platform team to admit it"));
    }
    if (plan != null && plan.target != null && changedSince(plan.target, found)) {
      return Optional.of(Verdict.of(Phase.Failed, Reason.TARGET_CHANGED, "MigrationTarget " + name
          + " changed after the plan (generation " + found.getMetadata().getGeneration() + ", planned "
          + plan.target.generation + "): the approval covers the target as planned, so nothing ran; create a new "
          + "request to plan against the target as it is now"));
    }
    return Optional.empty();
  }

  private static boolean changedSince(PlannedTarget planned, MigrationTarget now) {
    return !Objects.equals(planned.uid, now.getMetadata().getUid())
        || !Objects.equals(planned.generation, now.getMetadata().getGeneration());
  }

  /** The target as the plan records it, the copy its Jobs (in {@code namespace}) are built from. */
  static PlannedTarget planned(MigrationTarget target, String namespace) {
    DatabaseSpec database = target.getSpec().database;
    PlannedTarget planned = new PlannedTarget();
    planned.name = target.getMetadata().getName();
    planned.namespace = namespace;
    planned.uid = target.getMetadata().getUid();
    planned.generation = target.getMetadata().getGeneration();
    planned.url = database.url;
    planned.credentialsSecret = database.credentialsSecret;
    planned.usernameKey = database.usernameKey == null ? DatabaseSpec.DEFAULT_USERNAME_KEY : database.usernameKey;
    planned.passwordKey = database.passwordKey == null ? DatabaseSpec.DEFAULT_PASSWORD_KEY : database.passwordKey;
    // Part of what is approved: a run starts under the expiry and windows the approver saw.
    planned.approvalExpiresAfter = target.getSpec().approvalExpiresAfter;
    planned.maintenanceWindows = target.getSpec().maintenanceWindows;
    // The rule the approvals count against; a target edited later is TargetChanged (generation), so this copy is it.
    planned.approvals = target.getSpec().approvals;
    return planned;
  }

  /** The database the Jobs connect to: the planned target's, or the request's own. */
  static DatabaseSpec databaseOf(MigrationRequest request, PlanStatus plan) {
    if (plan == null || plan.target == null) {
      return request.getSpec().database;
    }
    DatabaseSpec database = new DatabaseSpec();
    database.url = plan.target.url;
    database.credentialsSecret = plan.target.credentialsSecret;
    database.usernameKey = plan.target.usernameKey;
    database.passwordKey = plan.target.passwordKey;
    return database;
  }
}
