package io.migrationgate.operator.lifecycle;

import io.migrationgate.operator.Requests;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.migrationgate.api.v1alpha1.DatabaseCheck;
import io.migrationgate.api.v1alpha1.ImageSource;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.contract.RunnerJvm;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobFactoryTest {

  private static final String DIGEST = "sha256:" + "c".repeat(64);
  private final JobFactory factory = new JobFactory("registry.test/migration-gate@sha256:" + "d".repeat(64), Duration.ofMinutes(20), new RunPlacement("migration-gate"));

  private static MigrationRequest planned(MigrationRequest request) {
    return Requests.launched(request, DIGEST);
  }

  @Test
  void jobRunsOnceNeverRestartsAndIsOwnedByTheRequest() {
    MigrationRequest request = planned(Requests.request("staging", "orders"));
    Job job = factory.build(request);
    assertThat(job.getMetadata().getName()).isEqualTo(ResourceNames.job(request)).hasSizeLessThanOrEqualTo(63);
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getMetadata().getFinalizers()).as("held until its outcome is recorded")
        .containsExactly(JobFactory.OUTCOME_FINALIZER);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(900L);
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
      assertThat(ref.getUid()).isEqualTo(request.getMetadata().getUid());
      assertThat(ref.getController()).isTrue();
    });
    assertThat(job.getMetadata().getLabels()).containsEntry(OwnedLabels.MANAGED_BY_KEY, OwnedLabels.MANAGED_BY);
    assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(OwnedLabels.REQUEST_ANNOTATION, "orders")
        .as("in the template, which cannot change after creation").containsEntry(OwnedLabels.LAUNCH_TOKEN, "token-of-the-marker");
  }

  @Test
  void defaultTimeoutAppliesWhenTheSpecHasNone() {
    MigrationRequest request = planned(Requests.request("staging", "orders"));
    request.getSpec().timeout = null;
    assertThat(factory.build(request).getSpec().getActiveDeadlineSeconds()).isEqualTo(1200L);
  }

  @Test
  void podMeetsRestrictedPodSecurity() {
    PodSpec pod = factory.build(planned(Requests.request("staging", "orders"))).getSpec().getTemplate().getSpec();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    for (Container c : pod.getContainers()) {
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(c.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    }
  }

  @Test
  void runnerMountsTheSnapshotReadOnlyAndGetsCredentialsOnlyByReference() {
    MigrationRequest request = planned(Requests.request("staging", "orders"));
    request.getSpec().database.passwordKey = "pw";
    PodSpec pod = factory.build(request).getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes().get(0).getConfigMap().getName()).isEqualTo(request.getStatus().plan.snapshot)
        .isNotEqualTo(request.getSpec().migrations.configMap.name);
    Container runner = pod.getContainers().get(0);
    assertThat(runner.getVolumeMounts().get(0).getReadOnly()).isTrue();
    assertThat(runner.getEnv()).allSatisfy(env -> {
      assertThat(env.getValue()).isNull();
      assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("orders-db-migrator");
    });
    assertThat(runner.getEnv()).extracting(e -> e.getValueFrom().getSecretKeyRef().getKey()).containsExactly("username", "pw");
    assertThat(runner.getCommand()).isEqualTo(RunnerJvm.command("run"));
    assertThat(runner.getArgs()).contains(
        "--expected-digest=" + DIGEST, "--url=" + Requests.DB_URL, "--target=latest", "--report-file=/dev/termination-log");
    assertThat(String.join(" ", runner.getArgs())).contains("--verify=[{\"name\":\"status column exists\"");
  }

  @Test
  void flywaySettingsAndPlaceholdersBecomeRunnerArguments() {
    MigrationRequest request = planned(Requests.request("staging", "orders"));
    request.getSpec().flyway = new io.migrationgate.api.v1alpha1.FlywaySpec();
    request.getSpec().flyway.schemas = java.util.List.of("app", "audit");
    request.getSpec().flyway.outOfOrder = true;
    request.getSpec().flyway.placeholders = Map.of("owner", "app_owner");
    assertThat(factory.build(request).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .contains("--schemas=app,audit", "--out-of-order=true", "--placeholders={\"owner\":\"app_owner\"}",
            "--table=flyway_schema_history");
  }

  @Test
  void imageSourceIsCopiedByAnInitContainerFromThePinnedImage() {
    MigrationRequest request = planned(Requests.request("staging", "orders"));
    request.getSpec().migrations.configMap = null;
    request.getSpec().migrations.image = new ImageSource();
    request.getSpec().migrations.image.ref = "registry.test/orders-migrations@sha256:" + "e".repeat(64);
    PodSpec pod = factory.build(request).getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers()).singleElement().satisfies(init -> {
      assertThat(init.getImage()).isEqualTo(request.getSpec().migrations.image.ref);
      assertThat(init.getCommand()).containsExactly("cp", "-R", "/migrations/.", JobFactory.SCRIPTS_DIR + "/");
    });
    assertThat(pod.getVolumes().get(0).getEmptyDir()).isNotNull();
    assertThat(pod.getContainers().get(0).getArgs()).noneMatch(a -> a.startsWith("--expected-digest"));
  }

  @Test
  void thePlanJobOfAnImageSourceRunsNoImageButTheRunnersAndMountsNoScripts() {
    MigrationRequest request = planned(Requests.request("staging", "orders"));
    request.getSpec().migrations.configMap = null;
    request.getSpec().migrations.image = new ImageSource();
    request.getSpec().migrations.image.ref = "registry.test/orders-migrations@sha256:" + "e".repeat(64);
    request.getStatus().plan.check = new DatabaseCheck();
    request.getStatus().plan.check.job = "orders-check-1";
    request.getStatus().plan.check.launchToken = "t";

    PodSpec pod = factory.buildPlan(request, request.getStatus().plan).getSpec().getTemplate().getSpec();

    assertThat(pod.getInitContainers()).as("no requester code before approval").isEmpty();
    assertThat(pod.getContainers()).singleElement().satisfies(runner -> {
      assertThat(runner.getImage()).isEqualTo("registry.test/migration-gate@sha256:" + "d".repeat(64));
      assertThat(runner.getCommand()).isEqualTo(RunnerJvm.command(JobFactory.PLAN));
      assertThat(runner.getArgs()).contains("--scripts-image=" + request.getSpec().migrations.image.ref)
          .noneMatch(a -> a.startsWith("--scripts="));
      assertThat(runner.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/tmp");
    });
    assertThat(pod.getVolumes()).extracting(v -> v.getName()).containsExactly("tmp");
    assertThat(factory.build(request).getSpec().getTemplate().getSpec().getInitContainers())
        .as("the run Job, after approval, still copies the scripts out of the approved image").hasSize(1);
  }

  @Test
  void namesAreDeterministicShortAndDifferForARecreatedRequest() {
    MigrationRequest request = planned(Requests.request("staging", "a".repeat(200)));
    assertThat(ResourceNames.job(request)).isEqualTo(ResourceNames.job(request)).hasSizeLessThanOrEqualTo(63);
    MigrationRequest recreated = planned(Requests.request("staging", "a".repeat(200)));
    recreated.getMetadata().setUid("99999999-2222-3333-4444-555555555555");
    assertThat(ResourceNames.job(recreated)).isNotEqualTo(ResourceNames.job(request));
  }
}
