package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.migrationgate.contract.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a launched run gives its database's turn back: its pod has started no container (it is
 * unschedulable, its image cannot be pulled, its Secret is missing) {@code timeout} after the
 * operator wrote the launch marker. Both times are the operator's own (the marker's
 * {@code launchedAt} and its clock now), never a Job's or a node's. "Nothing ran" is read from the
 * pod as the cache shows it: no container of it, init or runner, is or was running or terminated,
 * none restarted, and the Job counts no finished pod. A pod the cache does not show proves nothing
 * unless the Job has none active either.
 */
public final class RunStart {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  private RunStart() {}

  /** The reason to give the turn back, in words for the requester; empty while the run may still start. */
  static Optional<String> givenBack(String launchedAt, Job job, Optional<Pod> pod, Instant now, Duration timeout) {
    if (launchedAt == null || now.isBefore(Instant.parse(launchedAt).plus(timeout)) || !nothingStarted(job, pod)) {
      return Optional.empty();
    }
    return Optional.of("Job " + job.getMetadata().getName() + " started no container within " + Durations.format(timeout)
        + " of its launch" + pod.map(p -> " (pod " + p.getMetadata().getName() + why(p) + ")").orElse(" (no pod)")
        + ": nothing ran, the Job is deleted and the database's turn goes to the next request. Fix what keeps the"
        + " pod from starting (its nodeSelector and tolerations, the image, the target's Secret), then create a new"
        + " request");
  }

  static boolean nothingStarted(Job job, Optional<Pod> pod) {
    JobStatus status = job.getStatus();
    if (status != null && (positive(status.getSucceeded()) || positive(status.getFailed())
        || status.getUncountedTerminatedPods() != null
            && (!status.getUncountedTerminatedPods().getSucceeded().isEmpty()
                || !status.getUncountedTerminatedPods().getFailed().isEmpty()))) {
      return false;
    }
    if (pod.isEmpty()) {
      return status == null || !positive(status.getActive());
    }
    if (pod.get().getStatus() == null) {
      return true;
    }
    if (!"Pending".equals(pod.get().getStatus().getPhase())) {
      return false;
    }
    return containers(pod.get()).stream().allMatch(RunStart::neverStarted);
  }

  private static boolean neverStarted(ContainerStatus c) {
    boolean now = c.getState() != null && (c.getState().getRunning() != null || c.getState().getTerminated() != null);
    boolean before = c.getLastState() != null
        && (c.getLastState().getRunning() != null || c.getLastState().getTerminated() != null);
    return !now && !before && (c.getRestartCount() == null || c.getRestartCount() == 0)
        && !Boolean.TRUE.equals(c.getStarted());
  }

  private static List<ContainerStatus> containers(Pod pod) {
    List<ContainerStatus> all = new ArrayList<>();
    if (pod.getStatus().getInitContainerStatuses() != null) {
      all.addAll(pod.getStatus().getInitContainerStatuses());
    }
    if (pod.getStatus().getContainerStatuses() != null) {
      all.addAll(pod.getStatus().getContainerStatuses());
    }
    return all;
  }

  private static String why(Pod pod) {
    if (pod.getStatus() == null) {
      return "";
    }
    String unscheduled = pod.getStatus().getConditions() == null ? null : pod.getStatus().getConditions().stream()
        .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
        .map(c -> "unscheduled: " + c.getMessage()).findFirst().orElse(null);
    if (unscheduled != null) {
      return ", " + unscheduled;
    }
    return containers(pod).stream().filter(c -> c.getState() != null && c.getState().getWaiting() != null)
        .map(c -> ", " + c.getName() + " waiting: " + c.getState().getWaiting().getReason()).findFirst().orElse("");
  }

  private static boolean positive(Integer count) {
    return count != null && count > 0;
  }
}
