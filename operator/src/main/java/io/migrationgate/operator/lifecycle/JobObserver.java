package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.operator.lifecycle.JobObservation.State;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Job and its Pod. The Job controller decides when the Job is over; the Pod tells why
 * (the runner's own report, read by {@link RunResults}, tells more). A Pod waiting for its
 * credentials Secret keeps the request running until the Job's deadline: GitOps tools apply objects
 * in their own order, and the kubelet starts the pod as soon as the Secret exists. A Pod that can
 * never start for another reason is reported as failed at once, rather than after the deadline.
 */
public final class JobObserver {

  private static final Set<String> IMAGE_PULL_FAILURES =
      Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");

  private JobObserver() {}

  public static JobObservation observe(Job job, Optional<Pod> pod) {
    String jobName = job.getMetadata().getName();
    String startedAt = job.getStatus() == null ? null : job.getStatus().getStartTime();
    String podName = pod.map(p -> p.getMetadata().getName()).orElse(null);
    Optional<ContainerStatus> runner = pod.flatMap(JobObserver::runnerStatus);
    Optional<ContainerStateTerminated> terminated =
        runner.map(c -> c.getState() == null ? null : c.getState().getTerminated());
    Integer exitCode = terminated.map(ContainerStateTerminated::getExitCode).orElse(null);
    String terminationMessage = terminated.map(ContainerStateTerminated::getMessage).orElse(null);

    Optional<JobCondition> complete = condition(job, "Complete");
    if (complete.isPresent()) {
      return new JobObservation(State.SUCCEEDED, Reason.MIGRATION_SUCCEEDED,
          "Job " + jobName + " completed", startedAt, complete.get().getLastTransitionTime(),
          podName, exitCode, terminationMessage);
    }
    Optional<JobCondition> failed = condition(job, "Failed");
    if (failed.isPresent()) {
      String reason = "DeadlineExceeded".equals(failed.get().getReason()) ? Reason.DEADLINE_EXCEEDED : Reason.JOB_FAILED;
      // With a backoff limit of 0 "reached the specified backoff limit" only says the pod failed once.
      String why = failed.get().getMessage() == null || "BackoffLimitExceeded".equals(failed.get().getReason())
          ? (exitCode == null ? "" : ": the runner exited with code " + exitCode)
          : ": " + failed.get().getMessage();
      return new JobObservation(State.FAILED, reason, "Job " + jobName + " failed" + why,
          startedAt, failed.get().getLastTransitionTime(), podName, exitCode, terminationMessage);
    }
    if (job.getMetadata().getDeletionTimestamp() != null) {
      // Deleted by someone while the finalizer holds it: the Job controller no longer concludes it,
      // so its pod does.
      if (exitCode != null) {
        return new JobObservation(exitCode == 0 ? State.SUCCEEDED : State.FAILED,
            exitCode == 0 ? Reason.MIGRATION_SUCCEEDED : Reason.JOB_FAILED,
            "Job " + jobName + " was deleted; its pod " + podName + " ended with exit code " + exitCode,
            startedAt, terminated.map(ContainerStateTerminated::getFinishedAt).orElse(null),
            podName, exitCode, terminationMessage);
      }
      if (pod.isEmpty()) {
        return new JobObservation(State.FAILED, Reason.JOB_LOST,
            "Job " + jobName + " was deleted before a pod of it reported; " + StatusMessages.JOB_LOST_ADVICE,
            startedAt, null, null, null, null);
      }
    }
    Optional<ContainerStateWaiting> waiting = pod.flatMap(JobObserver::waitingContainer);
    if (waiting.isPresent() && "CreateContainerConfigError".equals(waiting.get().getReason())) {
      String why = String.valueOf(waiting.get().getMessage());
      if (why.toLowerCase(java.util.Locale.ROOT).contains("secret")) {
        return new JobObservation(State.PENDING, Reason.SECRET_NOT_FOUND,
            "pod " + podName + " waits for its credentials (" + why + "): create the Secret the MigrationTarget "
                + "(or spec.database) names in credentialsSecret, with its username and password keys, in namespace "
                + job.getMetadata().getNamespace() + "; the pod starts once it exists, and the Job fails at its "
                + "deadline (spec.timeout) if it never does",
            startedAt, null, podName, null, null);
      }
      return new JobObservation(State.FAILED, Reason.POD_CONFIG_ERROR,
          "pod " + podName + " cannot start: " + why + "; fix it and submit a new request",
          startedAt, null, podName, null, null);
    }
    if (waiting.isPresent() && IMAGE_PULL_FAILURES.contains(waiting.get().getReason())) {
      return new JobObservation(State.PENDING, Reason.IMAGE_PULL_FAILED,
          "pod " + podName + " cannot pull its image: " + waiting.get().getMessage(),
          startedAt, null, podName, null, null);
    }
    if (exitCode != null) {
      // The pod has ended but the Job controller has not concluded the Job yet: still running, as
      // far as the request goes, and not "waiting for its pod to start" again.
      return new JobObservation(State.RUNNING, Reason.JOB_RUNNING,
          "pod " + podName + " ended with exit code " + exitCode + "; waiting for the Job controller to conclude Job "
              + jobName, startedAt, null, podName, null, null);
    }
    if (pod.isPresent() && "Running".equals(pod.get().getStatus() == null ? null : pod.get().getStatus().getPhase())) {
      return new JobObservation(State.RUNNING, Reason.JOB_RUNNING,
          "pod " + podName + " is running the migration", startedAt, null, podName, null, null);
    }
    return new JobObservation(State.PENDING, Reason.JOB_CREATED,
        "Job " + jobName + " created; waiting for its pod to start", startedAt, null, podName, null, null);
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  private static Optional<ContainerStatus> runnerStatus(Pod pod) {
    return containerStatuses(pod).stream()
        .filter(c -> JobFactory.RUNNER_CONTAINER.equals(c.getName()))
        .findFirst();
  }

  private static Optional<ContainerStateWaiting> waitingContainer(Pod pod) {
    return java.util.stream.Stream.concat(
            pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null
                ? java.util.stream.Stream.empty()
                : pod.getStatus().getInitContainerStatuses().stream(),
            containerStatuses(pod).stream())
        .map(c -> c.getState() == null ? null : c.getState().getWaiting())
        .filter(w -> w != null && w.getReason() != null)
        .findFirst();
  }

  private static List<ContainerStatus> containerStatuses(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return List.of();
    }
    return pod.getStatus().getContainerStatuses();
  }
}
