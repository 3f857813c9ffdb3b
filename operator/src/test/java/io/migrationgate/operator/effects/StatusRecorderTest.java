package io.migrationgate.operator.effects;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.migrationgate.api.v1alpha1.Conditions;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.operator.lifecycle.StatusConditions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the StatusRecorder shows an unexpected failure on a request (ReconcileError). */
class StatusRecorderTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  private static StatusRecorder at(Instant now) {
    return new StatusRecorder(Clock.fixed(now, ZoneOffset.UTC), List.of());
  }

  private static Condition error(MigrationRequestStatus status) {
    return status.conditions.stream().filter(c -> Conditions.RECONCILE_ERROR.equals(c.getType())).findFirst().orElseThrow();
  }

  private static MigrationRequestStatus running() {
    MigrationRequestStatus status = new MigrationRequestStatus();
    status.phase = Phase.Running;
    status.observedGeneration = 1L;
    return status;
  }

  @Test
  void anApiServerFailureIsShownWithWhatTheServerSaidAndThatItIsRetried() {
    var e = new KubernetesClientException(new StatusBuilder().withCode(500).withMessage("etcdserver: request timed out").build());

    MigrationRequestStatus failed = at(T0).failed(running(), e, 2, false);

    Condition c = error(failed);
    assertThat(c.getStatus()).isEqualTo("True");
    assertThat(c.getReason()).isEqualTo(Reason.API_SERVER_ERROR);
    assertThat(c.getMessage()).contains("attempt 2", "500", "etcdserver: request timed out", "retries");
    assertThat(c.getLastTransitionTime()).isEqualTo(T0.toString());
    assertThat(failed.phase).as("where the request stands is unchanged").isEqualTo(Phase.Running);
  }

  @Test
  void aBugIsAnUnexpectedErrorAndTheLastAttemptSaysWhatHappensNext() {
    MigrationRequestStatus failed = at(T0).failed(running(), new NullPointerException("spec.database"), 5, true);

    assertThat(error(failed).getReason()).isEqualTo(Reason.UNEXPECTED_ERROR);
    assertThat(error(failed).getMessage()).contains("NullPointerException: spec.database", "retries are used up");
    MigrationRequestStatus wrapped = at(T0).failed(running(),
        new io.javaoperatorsdk.operator.OperatorException(new IllegalStateException("no snapshot")), 1, false);
    assertThat(error(wrapped).getMessage()).as("what the reconciler threw, not JOSDK's wrapper")
        .contains("IllegalStateException: no snapshot").doesNotContain("OperatorException");
  }

  @Test
  void aRepeatedFailureKeepsOneConditionAndItsFirstTransitionTime() {
    MigrationRequestStatus once = at(T0).failed(running(), new IllegalStateException("a"), 1, false);
    MigrationRequestStatus twice = at(T0.plusSeconds(30)).failed(once, new IllegalStateException("b"), 2, false);

    assertThat(twice.conditions).filteredOn(c -> Conditions.RECONCILE_ERROR.equals(c.getType())).hasSize(1);
    assertThat(error(twice).getMessage()).contains("attempt 2", ": b");
    assertThat(error(twice).getLastTransitionTime()).isEqualTo(T0.toString());
    assertThat(StatusConditions.withoutReconcileError(twice.conditions)).isEmpty();
  }

  @Test
  void aLongFailureIsClippedToWhatATerminalShows() {
    MigrationRequestStatus failed = at(T0).failed(running(), new IllegalStateException("x".repeat(5000)), 1, false);

    assertThat(error(failed).getMessage()).hasSize(1024).endsWith("...");
  }

  @Test
  void theClockReadsWholeSeconds() {
    assertThat(at(T0.plusMillis(999)).now()).isEqualTo(T0);
  }
}
