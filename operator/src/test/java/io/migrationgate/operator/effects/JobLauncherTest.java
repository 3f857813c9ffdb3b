package io.migrationgate.operator.effects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What each answer of the API server to a Job's create means for the launch. */
@EnableKubernetesMockClient
class JobLauncherTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  private static final String JOBS = "/apis/batch/v1/namespaces/staging/jobs";
  private final JobLauncher launcher = new JobLauncher(Duration.ZERO);

  private static Job job(String uid) {
    return new JobBuilder().withNewMetadata().withName("orders-run").withNamespace("staging").withUid(uid).endMetadata()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.Status answer(int code, String message) {
    return new StatusBuilder().withStatus("Failure").withCode(code).withMessage(message).build();
  }

  @Test
  void aCreatedJobIsTheLaunchs() {
    server.expect().post().withPath(JOBS).andReturn(201, job("created-uid")).once();

    assertThat(launcher.createJob(job(null), client)).isEqualTo(new JobLauncher.Created(job("created-uid")));
  }

  @Test
  void aJobAlreadyAtTheNameIsFoundForTheLifecycleToJudgeNotAdopted() {
    server.expect().post().withPath(JOBS).andReturn(409, answer(409, "jobs.batch \"orders-run\" already exists")).once();
    server.expect().get().withPath(JOBS + "/orders-run").andReturn(200, job("someone-elses-uid")).once();

    assertThat(launcher.createJob(job(null), client)).isEqualTo(new JobLauncher.Found(job("someone-elses-uid")));
  }

  @Test
  void aRefusalThatProvesNothingWasCreatedIsAnAnswerNamingWhy() {
    server.expect().post().withPath(JOBS)
        .andReturn(403, answer(403, "exceeded quota: jobs, requested: count/jobs.batch=1")).once();

    assertThat(launcher.createJob(job(null), client))
        .isEqualTo(new JobLauncher.Refused("exceeded quota: jobs, requested: count/jobs.batch=1"));
  }

  @Test
  void anAnswerThatMayHideACreatedJobPropagatesSoTheMarkerStays() {
    server.expect().post().withPath(JOBS).andReturn(500, answer(500, "etcdserver: request timed out")).once();
    // The client would retry a server error by itself; here the launcher sees the first answer.
    try (KubernetesClient once = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build()).build()) {
      assertThatThrownBy(() -> launcher.createJob(job(null), once)).isInstanceOf(KubernetesClientException.class);
    }

    server.expect().post().withPath(JOBS).andReturn(409, answer(409, "already exists")).once();
    server.expect().get().withPath(JOBS + "/orders-run").andReturn(404, answer(404, "not found")).once();
    assertThatThrownBy(() -> launcher.createJob(job(null), client))
        .as("a conflict with nothing behind it is not understood").isInstanceOf(KubernetesClientException.class);
  }

  @Test
  void aPlanJobAtItsNameIsJudgedLikeOneCreatedButARefusalPropagates() {
    server.expect().post().withPath(JOBS).andReturn(409, answer(409, "already exists")).once();
    server.expect().get().withPath(JOBS + "/orders-run").andReturn(200, job("found-uid")).once();
    assertThat(launcher.createPlanJob(job(null), client).getMetadata().getUid()).isEqualTo("found-uid");

    server.expect().post().withPath(JOBS).andReturn(403, answer(403, "exceeded quota")).once();
    assertThatThrownBy(() -> launcher.createPlanJob(job(null), client)).isInstanceOf(KubernetesClientException.class);
  }
}
