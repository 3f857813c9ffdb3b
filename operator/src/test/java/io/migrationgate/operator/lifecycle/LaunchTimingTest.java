package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.migrationgate.api.v1alpha1.Annotations;
import io.migrationgate.api.v1alpha1.Conditions;
import io.migrationgate.api.v1alpha1.MaintenanceWindow;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.operator.Requests;
import io.migrationgate.operator.lifecycle.LifecycleAt.Decided;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Approval expiry and maintenance windows through the whole lifecycle, at fixed instants. */
class LaunchTimingTest {

  /** Monday 2026-12-07 12:00 UTC. */
  private static final Instant NOON = Instant.parse("2026-12-07T12:00:00Z");
  private static final Map<String, String> SHOP = Map.of("team", "shop");
  private static final JobFactory JOBS =
      new JobFactory("migration-gate:test", Duration.ofMinutes(15), new RunPlacement("migration-gate"));

  private static MigrationTarget target(String expiresAfter, String windowStart) {
    MigrationTarget target = Requests.target("orders", "shop", false);
    target.getMetadata().setUid("target-uid");
    target.getMetadata().setGeneration(1L);
    target.getSpec().approvalExpiresAfter = expiresAfter;
    if (windowStart != null) {
      target.getSpec().maintenanceWindows =
          List.of(MaintenanceWindowsTest.window(List.of(MaintenanceWindow.Weekday.Mon), windowStart, "1h", "Europe/Berlin"));
    }
    return target;
  }

  private static ConfigMap snapshot(MigrationRequest r) {
    return new ConfigMapBuilder()
        .withNewMetadata().withName("orders-plan-x7k2p").withUid("snapshot-uid").withNamespace("migration-gate")
        .withOwnerReferences(OwnedLabels.ownedBy(r)).endMetadata()
        .withImmutable(true).withData(Requests.SCRIPTS).build();
  }

  private static MigrationRequest request() {
    MigrationRequest r = Requests.onTarget("shop", "orders", "orders");
    r.getMetadata().setUid("uid-1");
    r.getMetadata().setGeneration(1L);
    return r;
  }

  private static Decided next(Instant now, MigrationRequest r, MigrationTarget target) {
    Observed o = Observed.of(r).namespaceLabels(SHOP).liveNamespaceLabels(() -> SHOP)
        .source(() -> Optional.of(Requests.scripts("shop"))).snapshot(Optional.of(snapshot(r)))
        .target(Optional.of(target)).databaseAhead(Optional::empty).build();
    Decided d = LifecycleAt.at(now, JOBS, false).next(o);
    r.setStatus(d.status());
    return d;
  }

  private static Condition ready(Decided d) {
    return d.status().conditions.stream().filter(c -> c.getType().equals(Conditions.READY)).findFirst().orElseThrow();
  }

  /** Planned at {@code now} and approved by alice, the annotations as an approver leaves them. */
  private static MigrationRequest approved(Instant now, MigrationTarget target) {
    MigrationRequest r = request();
    assertThat(next(now, r, target).status().phase).isEqualTo(Phase.AwaitingApproval);
    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");
    return r;
  }

  @Test
  void outsideItsWindowAnApprovedRunWaitsQueuedNamingTheNextStart() {
    // Monday 22:00 in Berlin is 21:00 UTC.
    MigrationTarget target = target(null, "22:00");
    MigrationRequest r = approved(NOON, target);
    Decided waiting = next(NOON, r, target);
    assertThat(waiting.status().phase).isEqualTo(Phase.Queued);
    assertThat(waiting.action()).isInstanceOf(Action.None.class);
    assertThat(waiting.status().approval.recordedAt).as("the approval is latched").isEqualTo("2026-12-07T12:00:00Z");
    assertThat(ready(waiting).getReason()).isEqualTo(Reason.OUTSIDE_MAINTENANCE_WINDOW);
    assertThat(ready(waiting).getMessage())
        .contains("Mon 2026-12-07 22:00 Europe/Berlin (2026-12-07T21:00:00Z)");
    assertThat(waiting.status().queue.windowOpensAt).isEqualTo("2026-12-07T21:00:00Z");
    assertThat(Rechecks.after(waiting.status(), NOON, Duration.ofHours(12)))
        .as("the operator wakes up when the window opens").contains(Duration.ofHours(9).plusMillis(100));

    Decided inside = next(Instant.parse("2026-12-07T21:00:00Z"), r, target);
    assertThat(inside.action()).isInstanceOf(Action.LaunchJob.class);
    assertThat(inside.status().phase).isEqualTo(Phase.Running);
    assertThat(inside.status().queue).isNull();
  }

  @Test
  void theWindowsApplyAsPlannedNotAsTheTargetSaysLater() {
    MigrationTarget planned = target(null, "22:00");
    MigrationRequest r = approved(NOON, planned);
    MigrationTarget widened = target(null, null);
    widened.getMetadata().setGeneration(2L);
    Decided d = next(NOON, r, widened);
    assertThat(d.action()).isInstanceOf(Action.None.class);
    assertThat(ready(d).getReason()).isEqualTo(Reason.TARGET_CHANGED);
  }

  @Test
  void anApprovalUnusedPastItsTimeIsVoidAndOnlyAFreshOneLaunches() {
    MigrationTarget target = target("5s", "22:00");
    MigrationRequest r = approved(NOON, target);
    assertThat(next(NOON, r, target).status().phase).isEqualTo(Phase.Queued);
    assertThat(next(NOON.plusSeconds(4), r, target).status().approval).as("still good a second before").isNotNull();

    Decided expired = next(NOON.plusSeconds(5), r, target);
    assertThat(expired.status().phase).isEqualTo(Phase.AwaitingApproval);
    assertThat(expired.status().approval).isNull();
    assertThat(expired.status().expiredApproval.recordedAt).isEqualTo("2026-12-07T12:00:00Z");
    assertThat(ready(expired).getReason()).isEqualTo(Reason.APPROVAL_EXPIRED);
    assertThat(ready(expired).getMessage()).contains("was not used within 5s", "approve again");

    // Inside the window now, the old annotation still does not launch anything.
    Instant inWindow = Instant.parse("2026-12-07T21:10:00Z");
    assertThat(next(inWindow, r, target).action()).isInstanceOf(Action.None.class);
    assertThat(r.getStatus().approval).isNull();

    r.getMetadata().getAnnotations().remove(Annotations.APPROVED_BY);
    assertThat(ready(next(inWindow, r, target)).getReason()).isEqualTo(Reason.AWAITING_APPROVAL);
    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");
    Decided fresh = next(inWindow, r, target);
    assertThat(fresh.action()).isInstanceOf(Action.LaunchJob.class);
    assertThat(fresh.status().approval.recordedAt).isEqualTo("2026-12-07T21:10:00Z");
    assertThat(fresh.status().approval.expiresAt).isEqualTo("2026-12-07T21:10:05Z");
  }

  @Test
  void theClockStartsWhenTheOperatorFirstSawTheApprovalNotAtATimeTheRequestClaims() {
    MigrationTarget target = target("1h", "22:00");
    MigrationRequest r = approved(NOON, target);
    r.getMetadata().getAnnotations().put("migrationgate.io/approved-at", "2026-12-07T21:30:00Z");
    next(NOON, r, target);
    assertThat(ApprovalExpiry.expiresAt(r.getStatus())).contains(NOON.plus(Duration.ofHours(1)));
    assertThat(next(Instant.parse("2026-12-07T21:00:00Z"), r, target).action())
        .as("expired long before its window").isInstanceOf(Action.None.class);
    assertThat(r.getStatus().expiredApproval).isNotNull();
  }
}
