package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunStartTest {

  private static final Instant LAUNCHED = Instant.parse("2026-12-07T10:00:00Z");
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final Job ACTIVE = new JobBuilder().withNewMetadata().withName("orders-run").endMetadata()
      .withNewStatus().withActive(1).endStatus().build();

  private static PodBuilder pending() {
    return new PodBuilder().withNewMetadata().withName("orders-run-x").endMetadata().withNewStatus()
        .withPhase("Pending").endStatus();
  }

  @Test
  void aPodWaitingForItsSecretAfterTheTimeoutGivesTheTurnBackNamingWhy() {
    Pod waiting = pending().editStatus().addNewContainerStatus().withName("runner").withRestartCount(0).withNewState()
        .withNewWaiting().withReason("CreateContainerConfigError").endWaiting().endState().endContainerStatus()
        .endStatus().build();
    assertThat(RunStart.givenBack(LAUNCHED.toString(), ACTIVE, Optional.of(waiting), LAUNCHED.plus(TIMEOUT), TIMEOUT))
        .hasValueSatisfying(m -> assertThat(m).contains("runner waiting: CreateContainerConfigError", "600s"));
    assertThat(RunStart.givenBack(LAUNCHED.toString(), ACTIVE, Optional.of(waiting),
        LAUNCHED.plus(TIMEOUT).minusMillis(1), TIMEOUT)).isEmpty();
  }

  @Test
  void anInitContainerThatRanIsSomethingThatRan() {
    Pod copying = pending().editStatus().addNewInitContainerStatus().withName("copy-scripts").withNewState()
        .withNewRunning().endRunning().endState().endInitContainerStatus().addNewContainerStatus().withName("runner")
        .withNewState().withNewWaiting().withReason("PodInitializing").endWaiting().endState().endContainerStatus()
        .endStatus().build();
    assertThat(RunStart.nothingStarted(ACTIVE, Optional.of(copying))).isFalse();
  }

  @Test
  void aJobThatCountsAFinishedPodOrAPodTheCacheDoesNotShowProvesNothing() {
    Job failedOnce = new JobBuilder(ACTIVE).editStatus().withActive(0).withFailed(1).endStatus().build();
    assertThat(RunStart.nothingStarted(failedOnce, Optional.empty())).isFalse();
    assertThat(RunStart.nothingStarted(ACTIVE, Optional.empty())).as("active pod, not in the cache").isFalse();
    Job noPodYet = new JobBuilder(ACTIVE).withStatus(null).build();
    assertThat(RunStart.nothingStarted(noPodYet, Optional.empty())).isTrue();
  }

  @Test
  void aRunningPodOrAMarkerWithoutALaunchTimeIsNeverGivenBack() {
    Pod running = new PodBuilder(pending().build()).editStatus().withPhase("Running").endStatus().build();
    assertThat(RunStart.nothingStarted(ACTIVE, Optional.of(running))).isFalse();
    assertThat(RunStart.givenBack(null, ACTIVE, Optional.of(pending().build()), LAUNCHED.plus(Duration.ofDays(1)),
        TIMEOUT)).as("a marker an older operator wrote").isEmpty();
  }
}
