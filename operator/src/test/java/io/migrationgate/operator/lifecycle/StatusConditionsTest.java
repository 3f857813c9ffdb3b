package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.migrationgate.api.v1alpha1.Conditions;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** kstatus's Reconciling and Stalled beside the seven lifecycle conditions, phase by phase. */
class StatusConditionsTest {

  private static final String T0 = "2026-11-25T10:00:00Z";
  private static final String T1 = "2026-11-25T10:05:00Z";

  private static List<Condition> derive(Phase phase, String reason, List<Condition> previous, String now) {
    MigrationRequestStatus status = new MigrationRequestStatus();
    status.phase = phase;
    return StatusConditions.derive(status, new Verdict(phase, reason, "what happened and what to do", null, null),
        previous, 3L, now);
  }

  private static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> c.getType().equals(type)).findFirst();
  }

  @ParameterizedTest
  @EnumSource(value = Phase.class, names = {"Pending", "AwaitingApproval", "Queued", "Running"})
  void onItsWayIsReconcilingWithTheRequestsReasonAndNeverStalled(Phase phase) {
    List<Condition> conditions = derive(phase, Reason.WAITING_FOR_DATABASE, null, T0);

    Condition reconciling = find(conditions, Conditions.RECONCILING).orElseThrow();
    assertThat(reconciling.getStatus()).isEqualTo("True");
    assertThat(reconciling.getReason()).isEqualTo(Reason.WAITING_FOR_DATABASE);
    assertThat(reconciling.getMessage()).isEqualTo("what happened and what to do");
    assertThat(reconciling.getObservedGeneration()).isEqualTo(3L);
    assertThat(find(conditions, Conditions.STALLED)).as("kstatus's conditions are absent when they do not hold").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = Phase.class, names = {"Blocked", "Rejected", "Failed"})
  void goingNowhereWithoutAPersonIsStalledAndNotReconciling(Phase phase) {
    List<Condition> conditions = derive(phase, Reason.PRODUCTION_NAMESPACE, null, T0);

    Condition stalled = find(conditions, Conditions.STALLED).orElseThrow();
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo(Reason.PRODUCTION_NAMESPACE);
    assertThat(stalled.getObservedGeneration()).isEqualTo(3L);
    assertThat(find(conditions, Conditions.RECONCILING)).isEmpty();
    assertThat(find(conditions, Conditions.READY).orElseThrow().getStatus()).isEqualTo("False");
  }

  @Test
  void succeededIsReadyWithNeitherKstatusCondition() {
    List<Condition> conditions = derive(Phase.Succeeded, Reason.MIGRATION_SUCCEEDED, null, T0);

    assertThat(conditions).extracting(Condition::getType).containsExactly(
        Conditions.PLANNED, Conditions.APPROVED, Conditions.BLOCKED, Conditions.RUNNING,
        Conditions.SUCCEEDED, Conditions.FAILED, Conditions.READY);
    assertThat(find(conditions, Conditions.READY).orElseThrow().getStatus()).isEqualTo("True");
  }

  @Test
  void reconcilingKeepsItsTransitionTimeFromPendingToRunning() {
    List<Condition> pending = derive(Phase.Pending, Reason.SOURCE_NOT_FOUND, null, T0);
    List<Condition> running = derive(Phase.Running, Reason.JOB_RUNNING, pending, T1);

    Condition reconciling = find(running, Conditions.RECONCILING).orElseThrow();
    assertThat(reconciling.getLastTransitionTime()).isEqualTo(T0);
    assertThat(reconciling.getReason()).isEqualTo(Reason.JOB_RUNNING);
    Condition stalled = find(derive(Phase.Failed, Reason.MIGRATION_FAILED, running, T1), Conditions.STALLED).orElseThrow();
    assertThat(stalled.getLastTransitionTime()).isEqualTo(T1);
  }

  @Test
  void aRequestThatFailedBeforeTheUpgradeGetsStalledFromItsReadyCondition() {
    MigrationRequestStatus old = new MigrationRequestStatus();
    old.phase = Phase.Failed;
    old.conditions = derive(Phase.Failed, Reason.MIGRATION_FAILED, null, T0).stream()
        .filter(c -> !Conditions.STALLED.equals(c.getType())).toList();

    List<Condition> upgraded = StatusConditions.withKstatus(old, T1);

    Condition stalled = find(upgraded, Conditions.STALLED).orElseThrow();
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo(Reason.MIGRATION_FAILED);
    assertThat(stalled.getMessage()).isEqualTo("what happened and what to do");
    assertThat(stalled.getLastTransitionTime()).isEqualTo(T1);
    old.conditions = upgraded;
    assertThat(StatusConditions.withKstatus(old, "2026-11-25T11:00:00Z")).as("added once").isEqualTo(upgraded);
  }

  @Test
  void aSucceededRequestFromBeforeTheUpgradeIsLeftAlone() {
    MigrationRequestStatus old = new MigrationRequestStatus();
    old.phase = Phase.Succeeded;
    old.conditions = derive(Phase.Succeeded, Reason.MIGRATION_SUCCEEDED, null, T0);

    assertThat(StatusConditions.withKstatus(old, T1)).isEqualTo(old.conditions);
  }
}
