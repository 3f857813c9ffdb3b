package io.migrationgate.operator;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import io.migrationgate.operator.lifecycle.JobFactory;
import io.migrationgate.operator.lifecycle.TrustedObjects;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Job controller and the kubelet would do on fabric8's mock API server, which has neither,
 * and the clean slate between the mock server tests.
 */
final class JobControllerPlay {

  private JobControllerPlay() {}

  /** The runner container ended with {@code exitCode} and {@code terminationMessage}. */
  static ContainerStatus terminated(int exitCode, String terminationMessage) {
    return new ContainerStatusBuilder().withName(JobFactory.RUNNER_CONTAINER)
        .withNewState().withNewTerminated().withExitCode(exitCode).withMessage(terminationMessage)
        .endTerminated().endState().build();
  }

  /** The Job's pod ended in {@code status}, and the Job is Complete or Failed. */
  static void finish(KubernetesClient client, Job job, boolean succeeded, ContainerStatus status) {
    client.resource(runnerPod(job, status, succeeded ? "Succeeded" : "Failed")).createOr(r -> r.update());
    String now = Instant.now().toString();
    job.setStatus(new JobStatusBuilder().withStartTime(now).withConditions(new JobConditionBuilder()
        .withType(succeeded ? "Complete" : "Failed").withStatus("True").withLastTransitionTime(now)
        .withReason(succeeded ? null : "BackoffLimitExceeded").build()).build());
    job.getMetadata().setResourceVersion(null);
    client.resource(job).updateStatus();
  }

  /** A pod as the Job controller makes it: labelled with the Job's uid and controlled by the Job. */
  static Pod runnerPod(Job job, ContainerStatus status, String phase) {
    Map<String, String> labels = new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
    labels.put(TrustedObjects.JOB_CONTROLLER_UID, job.getMetadata().getUid());
    return new PodBuilder()
        .withNewMetadata()
          .withName(job.getMetadata().getName() + "-pod")
          .withNamespace(job.getMetadata().getNamespace())
          .withLabels(labels)
          .withAnnotations(job.getSpec().getTemplate().getMetadata().getAnnotations())
          .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withController(true)
            .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid()).endOwnerReference()
        .endMetadata()
        .withSpec(job.getSpec().getTemplate().getSpec())
        .withNewStatus().withPhase(phase).withContainerStatuses(status).endStatus()
        .build();
  }

  /** Requests, targets, Jobs (their finalizers stripped first, as an admin would), pods and ConfigMaps gone. */
  static void clear(KubernetesClient client) {
    client.resources(MigrationRequest.class).inAnyNamespace().list().getItems().forEach(r -> {
      r.getMetadata().setFinalizers(List.of());
      client.resource(r).update();
    });
    client.resources(MigrationRequest.class).inAnyNamespace().delete();
    client.resources(MigrationTarget.class).delete();
    client.batch().v1().jobs().inAnyNamespace().list().getItems().forEach(job -> {
      job.getMetadata().setFinalizers(List.of());
      client.resource(job).update();
    });
    client.batch().v1().jobs().inAnyNamespace().delete();
    client.pods().inAnyNamespace().delete();
    client.configMaps().inAnyNamespace().delete();
  }
}
