package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.operator.lifecycle.JobObservation.State;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobObserverTest {

  private static final Job JOB = new JobBuilder().withNewMetadata().withName("orders-run").endMetadata()
      .withNewStatus().withStartTime("2026-11-25T10:00:00Z").endStatus().build();

  private static Pod waiting(String reason, String message) {
    return new PodBuilder().withNewMetadata().withName("orders-run-x").endMetadata().withNewStatus()
        .withPhase("Pending").addNewContainerStatus().withName(JobFactory.RUNNER_CONTAINER)
        .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
        .endContainerStatus().endStatus().build();
  }

  @Test
  void aMissingSecretIsWaitedForNamingItAndWhatToCreate() {
    JobObservation seen = JobObserver.observe(JOB, Optional.of(waiting("CreateContainerConfigError", "secret \"orders-db\" not found")));
    assertThat(seen.state()).isEqualTo(State.PENDING);
    assertThat(seen.reason()).isEqualTo(Reason.SECRET_NOT_FOUND);
    assertThat(seen.message()).contains("orders-db", "username and password keys", "deadline (spec.timeout)");
    assertThat(seen.message().indexOf("orders-db")).as("named once").isEqualTo(seen.message().lastIndexOf("orders-db"));
  }

  @Test
  void aPodThatEndedBeforeTheJobIsConcludedIsStillRunningNotWaitingToStart() {
    Pod ended = new PodBuilder().withNewMetadata().withName("orders-run-x").endMetadata().withNewStatus()
        .withPhase("Succeeded").addNewContainerStatus().withName(JobFactory.RUNNER_CONTAINER)
        .withNewState().withNewTerminated().withExitCode(0).endTerminated().endState()
        .endContainerStatus().endStatus().build();
    JobObservation seen = JobObserver.observe(JOB, Optional.of(ended));
    assertThat(seen.state()).isEqualTo(State.RUNNING);
    assertThat(seen.reason()).isEqualTo(Reason.JOB_RUNNING);
    assertThat(seen.message()).contains("ended with exit code 0");
  }

  @Test
  void aFailedJobSaysHowTheRunnerExitedNotThatABackoffLimitOfZeroWasReached() {
    Job failed = new JobBuilder().withNewMetadata().withName("orders-run").endMetadata().withNewStatus()
        .addNewCondition().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
        .withMessage("Job has reached the specified backoff limit").endCondition().endStatus().build();
    Pod exited = new PodBuilder().withNewMetadata().withName("orders-run-x").endMetadata().withNewStatus()
        .withPhase("Failed").addNewContainerStatus().withName(JobFactory.RUNNER_CONTAINER)
        .withNewState().withNewTerminated().withExitCode(13).endTerminated().endState()
        .endContainerStatus().endStatus().build();
    JobObservation seen = JobObserver.observe(failed, Optional.of(exited));
    assertThat(seen.message()).isEqualTo("Job orders-run failed: the runner exited with code 13");
  }

  @Test
  void aMissingKeyInTheSecretIsReportedAsTheSecretsProblem() {
    JobObservation seen = JobObserver.observe(JOB,
        Optional.of(waiting("CreateContainerConfigError", "couldn't find key password in Secret team/orders-db")));
    assertThat(seen.reason()).isEqualTo(Reason.SECRET_NOT_FOUND);
  }

  @Test
  void anotherConfigErrorIsNotBlamedOnTheSecret() {
    JobObservation seen = JobObserver.observe(JOB, Optional.of(waiting("CreateContainerConfigError", "configmap \"x\" not found")));
    assertThat(seen.state()).isEqualTo(State.FAILED);
    assertThat(seen.reason()).isEqualTo(Reason.POD_CONFIG_ERROR);
  }

  @Test
  void anImageThatCannotBePulledWaitsWithAReason() {
    JobObservation seen = JobObserver.observe(JOB, Optional.of(waiting("ImagePullBackOff", "back-off pulling image")));
    assertThat(seen.state()).isEqualTo(State.PENDING);
    assertThat(seen.reason()).isEqualTo(Reason.IMAGE_PULL_FAILED);
  }

  @Test
  void aJobWithoutAPodYetIsPending() {
    JobObservation seen = JobObserver.observe(JOB, Optional.empty());
    assertThat(seen.state()).isEqualTo(State.PENDING);
    assertThat(seen.startedAt()).isEqualTo("2026-11-25T10:00:00Z");
  }

  @Test
  void aJobDeletedByHandEndsWithItsPodsExitCode() {
    Job deleted = new JobBuilder(JOB).editMetadata().withDeletionTimestamp("2026-11-25T10:01:00Z").endMetadata().build();
    Pod ended = new PodBuilder().withNewMetadata().withName("orders-run-x").endMetadata().withNewStatus()
        .withPhase("Failed").addNewContainerStatus().withName(JobFactory.RUNNER_CONTAINER)
        .withNewState().withNewTerminated().withExitCode(12).withFinishedAt("2026-11-25T10:02:00Z").endTerminated()
        .endState().endContainerStatus().endStatus().build();
    JobObservation seen = JobObserver.observe(deleted, Optional.of(ended));
    assertThat(seen.state()).isEqualTo(State.FAILED);
    assertThat(seen.exitCode()).isEqualTo(12);
    assertThat(seen.finishedAt()).isEqualTo("2026-11-25T10:02:00Z");

    JobObservation running = JobObserver.observe(deleted, Optional.of(waiting("ContainerCreating", "")));
    assertThat(running.state()).as("a deleted Job's pod still runs until it ends").isEqualTo(State.PENDING);
    JobObservation gone = JobObserver.observe(deleted, Optional.empty());
    assertThat(gone.state()).isEqualTo(State.FAILED);
    assertThat(gone.reason()).isEqualTo(Reason.JOB_LOST);
  }
}
