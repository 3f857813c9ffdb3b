package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import java.util.Map;
import java.util.Optional;

/**
 * The last check before any Job is created, the first launch or a repeated one after a crash.
 * Status is a record, not an authority: whatever it says, the operator launches only for a request
 * that is not rejected, in a namespace that is not blocked now (read live, not from a cache), with
 * an approval latched for the plan as shown, whose snapshot is the one the operator created.
 */
public final class LaunchGate {

  /** Why nothing may launch, and where that leaves the request. */
  public record Refusal(Phase phase, String reason, String message) {}

  private final ProductionGuard guard;

  public LaunchGate(ProductionGuard guard) {
    this.guard = guard;
  }

  public Optional<Refusal> refusal(
      MigrationRequest request, MigrationRequestStatus status, Map<String, String> liveNamespaceLabels,
      Optional<ConfigMap> snapshot) {
    Optional<ApprovalDecision.Rejected> rejection = ApprovalPolicy.rejection(RequestAnnotations.of(request));
    if (rejection.isPresent()) {
      return Optional.of(new Refusal(Phase.Rejected, rejection.get().reason(), rejection.get().message()));
    }
    Optional<String> blocked = guard.refusal(request.getMetadata().getNamespace(), liveNamespaceLabels);
    if (blocked.isPresent()) {
      return Optional.of(new Refusal(Phase.Blocked, Reason.PRODUCTION_NAMESPACE, blocked.get()));
    }
    return untrusted(request, status, snapshot).map(why -> new Refusal(Phase.Failed, Reason.UNTRUSTED_STATUS,
        "status does not hold up: " + why + "; nothing was launched. " + StatusMessages.UNTRUSTED_STATUS_ADVICE));
  }

  private static Optional<String> untrusted(
      MigrationRequest request, MigrationRequestStatus status, Optional<ConfigMap> snapshot) {
    if (status.plan == null || status.plan.digest == null) {
      return Optional.of("there is no plan");
    }
    if (status.approval == null) {
      return Optional.of("there is no latched approval");
    }
    if (!status.plan.digest.equals(status.approval.digest)) {
      return Optional.of("the approval is for " + status.approval.digest + ", the plan is " + status.plan.digest);
    }
    if (!ApprovalDigests.consistent(status.plan)) {
      return Optional.of("the plan digest " + status.plan.digest + " is not the digest of its scripts and database state");
    }
    if (request.getSpec().migrations.image != null) {
      String pinned = ApprovalDigests.ofImage(request.getSpec().migrations.image.ref);
      return pinned.equals(ApprovalDigests.scripts(status.plan)) ? Optional.empty()
          : Optional.of("the plan digest is not the image's digest " + pinned);
    }
    return TrustedObjects.snapshotProblem(snapshot, status.plan, request);
  }
}
