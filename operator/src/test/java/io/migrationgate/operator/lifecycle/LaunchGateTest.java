package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.migrationgate.api.v1alpha1.Annotations;
import io.migrationgate.api.v1alpha1.ApprovalStatus;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.ImageSource;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.contract.ScriptsDigest;
import io.migrationgate.operator.Requests;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The last check before a Job is created: each refusal, and the one request that passes. */
class LaunchGateTest {

  private static final Map<String, String> STAGING = Map.of("environment", "staging");
  private static final String DIGEST = ScriptsDigest.of(Requests.SCRIPTS);

  private final LaunchGate gate = new LaunchGate(new ProductionGuard(NamespaceSelector.parse("environment=production")));

  /** Planned from the operator's snapshot, approved for that plan: nothing to refuse. */
  private static MigrationRequest approved() {
    MigrationRequest r = Requests.planned(Requests.request("staging", "orders"), DIGEST);
    r.getStatus().plan.scriptsDigest = DIGEST;
    r.getStatus().plan.snapshotUid = "snapshot-uid";
    r.getStatus().approval = new ApprovalStatus();
    r.getStatus().approval.digest = DIGEST;
    r.getStatus().approval.approvedBy = "adam";
    return r;
  }

  private static ConfigMap snapshot(MigrationRequest r) {
    return new ConfigMapBuilder()
        .withNewMetadata().withName(r.getStatus().plan.snapshot).withUid("snapshot-uid").withNamespace("staging")
        .withOwnerReferences(OwnedLabels.ownedBy(r)).endMetadata()
        .withImmutable(true).withData(Requests.SCRIPTS).build();
  }

  private Optional<LaunchGate.Refusal> refusal(MigrationRequest r, Map<String, String> labels, Optional<ConfigMap> snapshot) {
    return gate.refusal(r, r.getStatus(), labels, snapshot);
  }

  @Test
  void anApprovedRequestWithItsOwnSnapshotInAnOpenNamespacePasses() {
    MigrationRequest r = approved();
    assertThat(refusal(r, STAGING, Optional.of(snapshot(r)))).isEmpty();
  }

  @Test
  void aRejectionWinsOverEverythingElse() {
    MigrationRequest r = approved();
    r.getMetadata().getAnnotations().put(Annotations.REJECTED_BY, "adam");
    assertThat(refusal(r, Map.of("environment", "production"), Optional.empty()).orElseThrow().phase())
        .isEqualTo(Phase.Rejected);
  }

  @Test
  void aNamespaceBlockedNowOrUnreadableIsBlocked() {
    MigrationRequest r = approved();
    assertThat(refusal(r, Map.of("environment", "production"), Optional.of(snapshot(r))).orElseThrow())
        .extracting(LaunchGate.Refusal::phase, LaunchGate.Refusal::reason)
        .containsExactly(Phase.Blocked, Reason.PRODUCTION_NAMESPACE);
    assertThat(refusal(r, null, Optional.of(snapshot(r))).orElseThrow().phase()).as("labels unreadable: fail closed")
        .isEqualTo(Phase.Blocked);
  }

  @Test
  void statusThatDoesNotHoldUpFailsTheRequestSayingWhy() {
    MigrationRequest noApproval = approved();
    noApproval.getStatus().approval = null;
    assertUntrusted(noApproval, Optional.of(snapshot(noApproval)), "there is no latched approval");

    MigrationRequest otherPlan = approved();
    otherPlan.getStatus().approval.digest = "sha256:" + "0".repeat(64);
    assertUntrusted(otherPlan, Optional.of(snapshot(otherPlan)), "the approval is for sha256:000");

    MigrationRequest editedDigest = approved();
    editedDigest.getStatus().plan.digest = "sha256:" + "1".repeat(64);
    editedDigest.getStatus().approval.digest = editedDigest.getStatus().plan.digest;
    assertUntrusted(editedDigest, Optional.of(snapshot(editedDigest)), "is not the digest of its scripts");

    MigrationRequest swapped = approved();
    ConfigMap other = snapshot(swapped);
    other.getMetadata().setUid("someone-elses");
    assertUntrusted(swapped, Optional.of(other), "is not the snapshot the operator created");

    MigrationRequest gone = approved();
    assertUntrusted(gone, Optional.empty(), "does not exist");
  }

  @Test
  void anImageSourceMustBeTheImageThePlanPinned() {
    String pinned = "sha256:" + "a".repeat(64);
    MigrationRequest r = approved();
    r.getSpec().migrations.configMap = null;
    r.getSpec().migrations.image = new ImageSource();
    r.getSpec().migrations.image.ref = "registry.example/orders-migrations@" + pinned;
    r.getStatus().plan.scriptsDigest = pinned;
    r.getStatus().plan.digest = pinned;
    r.getStatus().approval.digest = pinned;
    assertThat(refusal(r, STAGING, Optional.empty())).isEmpty();

    r.getSpec().migrations.image.ref = "registry.example/orders-migrations@sha256:" + "b".repeat(64);
    assertUntrusted(r, Optional.empty(), "is not the image's digest");
  }

  private void assertUntrusted(MigrationRequest r, Optional<ConfigMap> snapshot, String why) {
    LaunchGate.Refusal refusal = refusal(r, STAGING, snapshot).orElseThrow();
    assertThat(refusal.phase()).isEqualTo(Phase.Failed);
    assertThat(refusal.reason()).isEqualTo(Reason.UNTRUSTED_STATUS);
    assertThat(refusal.message()).contains(why, "nothing was launched");
  }
}
