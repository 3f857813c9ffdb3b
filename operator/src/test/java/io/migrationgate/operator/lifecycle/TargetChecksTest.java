package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.DatabaseSpec;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import io.migrationgate.api.v1alpha1.MigrationTargetSpec;
import io.migrationgate.api.v1alpha1.MigrationTargetStatus;
import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.RunReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetChecksTest {

  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  private static final Duration PERIOD = Duration.ofMinutes(10);

  static MigrationTarget target(String name, String url, long generation) {
    MigrationTarget target = new MigrationTarget();
    target.setMetadata(new ObjectMetaBuilder().withName(name).withUid("uid-" + name).withGeneration(generation).build());
    target.setSpec(new MigrationTargetSpec());
    target.getSpec().database = new DatabaseSpec();
    target.getSpec().database.url = url;
    target.getSpec().database.credentialsSecret = name + "-credentials";
    return target;
  }

  private static MigrationTarget checkedAt(MigrationTarget target, long generation, Instant at) {
    target.setStatus(new MigrationTargetStatus());
    target.getStatus().observedGeneration = generation;
    target.getStatus().lastCheckedAt = at.toString();
    return target;
  }

  private static Job checkJob(MigrationTarget target, String... conditions) {
    JobBuilder job = new JobBuilder().withNewMetadata().withName(TargetChecks.jobName(target))
        .withLabels(TargetChecks.labels(target)).endMetadata().withNewStatus().endStatus();
    for (String type : conditions) {
      job.editStatus().addNewCondition().withType(type).withStatus("True").endCondition().endStatus();
    }
    return job.build();
  }

  private static Pod ended(int exitCode, RunReport.Builder report) {
    return new PodBuilder().withNewMetadata().withName("check-x").endMetadata().withNewStatus()
        .addNewContainerStatus().withName(JobFactory.RUNNER_CONTAINER).withNewState().withNewTerminated()
        .withExitCode(exitCode).withMessage(report.build().toCompactJson(4096)).endTerminated().endState()
        .endContainerStatus().endStatus().build();
  }

  @Test
  void aNewTargetAndAChangedSpecAreCheckedAtOnce() {
    assertThat(TargetChecks.dueIn(target("orders", "jdbc:postgresql://db/orders", 1), NOW, PERIOD))
        .contains(Duration.ZERO);
    MigrationTarget changed = checkedAt(target("orders", "jdbc:postgresql://db/orders", 2), 1, NOW);
    assertThat(TargetChecks.dueIn(changed, NOW, PERIOD)).contains(Duration.ZERO);
  }

  @Test
  void aCheckedTargetIsCheckedAgainAfterThePeriodOrNeverWhenPeriodicChecksAreOff() {
    MigrationTarget checked = checkedAt(target("orders", "jdbc:postgresql://db/orders", 3), 3, NOW);
    assertThat(TargetChecks.dueIn(checked, NOW.plusSeconds(60), PERIOD)).contains(Duration.ofMinutes(9));
    assertThat(TargetChecks.dueIn(checked, NOW.plus(PERIOD).plusSeconds(1), PERIOD)).contains(Duration.ZERO);
    assertThat(TargetChecks.dueIn(checked, NOW.plus(PERIOD), Duration.ZERO)).isEmpty();
  }

  @Test
  void aRefusedLoginIsReachableFalseInTheRunnersWordsAndTheGenerationOfTheJob() {
    MigrationTarget target = target("orders", "jdbc:postgresql://db/orders", 4);
    Job job = checkJob(target, "Failed");
    String words = "the database refused the login: check the keys username and password of Secret orders-credentials";
    Pod pod = ended(16, RunReport.builder().outcome(Outcome.CREDENTIALS_REFUSED).message(words));

    Condition reachable = TargetChecks.reachable(JobObserver.observe(job, Optional.of(pod))).orElseThrow();
    MigrationTargetStatus status = TargetChecks.checked(target, job, reachable, NOW);

    assertThat(reachable.getStatus()).isEqualTo("False");
    assertThat(reachable.getReason()).isEqualTo(Outcome.CREDENTIALS_REFUSED.conditionReason());
    assertThat(reachable.getMessage()).isEqualTo(words);
    assertThat(status.observedGeneration).isEqualTo(4L);
    assertThat(status.lastCheckedAt).isEqualTo(NOW.toString());
  }

  @Test
  void aSucceededCheckIsReachableTrueAndKeepsItsTransitionTimeWhileItStaysTrue() {
    MigrationTarget target = target("orders", "jdbc:postgresql://db/orders", 1);
    Job job = checkJob(target, "Complete");
    Pod pod = ended(0, RunReport.builder().outcome(Outcome.SUCCEEDED).message("reached PostgreSQL 16 read-only"));
    Condition reachable = TargetChecks.reachable(JobObserver.observe(job, Optional.of(pod))).orElseThrow();

    target.setStatus(TargetChecks.checked(target, job, reachable, NOW));
    MigrationTargetStatus later = TargetChecks.checked(target, job, reachable, NOW.plus(PERIOD));

    assertThat(later.conditions).singleElement().satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo(TargetChecks.REACHED);
      assertThat(c.getLastTransitionTime()).isEqualTo(NOW.toString());
    });
    assertThat(later.lastCheckedAt).isEqualTo(NOW.plus(PERIOD).toString());
  }

  @Test
  void aPodWaitingForAMissingSecretConcludesTheCheckWithoutWaitingForItsDeadline() {
    MigrationTarget target = target("orders", "jdbc:postgresql://db/orders", 1);
    Pod waiting = new PodBuilder().withNewMetadata().withName("check-x").endMetadata().withNewStatus()
        .withPhase("Pending").addNewContainerStatus().withName(JobFactory.RUNNER_CONTAINER).withNewState()
        .withNewWaiting().withReason("CreateContainerConfigError").withMessage("secret \"orders-credentials\" not found")
        .endWaiting().endState().endContainerStatus().endStatus().build();

    Condition reachable = TargetChecks.reachable(JobObserver.observe(checkJob(target), Optional.of(waiting)))
        .orElseThrow();

    assertThat(reachable.getStatus()).isEqualTo("False");
    assertThat(reachable.getReason()).isEqualTo(Reason.SECRET_NOT_FOUND);
  }

  @Test
  void aProductionTargetIsNeverCheckedAndSaysWhy() {
    MigrationTarget production = target("orders-prod", "jdbc:postgresql://db/orders", 1);
    production.getSpec().production = true;

    assertThat(TargetChecks.dueIn(production, NOW, PERIOD)).isEmpty();
    assertThat(TargetChecks.notCheckedYet(production, NOW).getReason()).isEqualTo(Reason.PRODUCTION_TARGET);
  }

  @Test
  void aRunningCheckConcludesNothing() {
    MigrationTarget target = target("orders", "jdbc:postgresql://db/orders", 1);
    assertThat(TargetChecks.reachable(JobObserver.observe(checkJob(target), Optional.empty()))).isEmpty();
  }

  @Test
  void aCheckWithoutAReportSaysTheJobsOwnWordsNotTheLogTail() {
    MigrationTarget target = target("orders", "jdbc:postgresql://db/orders", 1);
    Pod pod = new PodBuilder().withNewMetadata().withName("check-x").endMetadata().withNewStatus()
        .addNewContainerStatus().withName(JobFactory.RUNNER_CONTAINER).withNewState().withNewTerminated()
        .withExitCode(1).withMessage("Exception in thread main: FATAL password authentication failed for hunter2")
        .endTerminated().endState().endContainerStatus().endStatus().build();

    Condition reachable = TargetChecks.reachable(JobObserver.observe(checkJob(target, "Failed"), Optional.of(pod)))
        .orElseThrow();

    assertThat(reachable.getReason()).isEqualTo(TargetChecks.CHECK_FAILED);
    assertThat(reachable.getMessage()).doesNotContain("hunter2").contains("exited with code 1");
  }
}
