package io.migrationgate.localcluster.kubelet;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import java.time.Instant;

/** What the kubelet knows about one container of a pod: waiting, running or terminated. */
final class ContainerRun {

  final String name;
  final String image;
  final ContainerLog log;
  volatile Process process;
  private String waitingReason;
  private String waitingMessage;
  private Instant startedAt;
  private Instant finishedAt;
  private Integer exitCode;
  private String terminatedReason;
  private String terminatedMessage;
  /** Null without a readiness probe (ready while running); else the probe's verdict. */
  private Boolean probedReady;

  ContainerRun(String name, String image, ContainerLog log, String waitingReason) {
    this.name = name;
    this.image = image;
    this.log = log;
    this.waitingReason = waitingReason;
  }

  /** Sets why the container waits; true when that differs from what it was. */
  synchronized boolean waiting(String reason, String message) {
    boolean changed = !java.util.Objects.equals(reason, waitingReason) || !java.util.Objects.equals(message, waitingMessage);
    this.waitingReason = reason;
    this.waitingMessage = message;
    return changed;
  }

  synchronized void running(Process process, Instant at) {
    this.process = process;
    this.startedAt = at;
    this.waitingReason = null;
    this.waitingMessage = null;
  }

  synchronized void terminated(int exitCode, String reason, String message, Instant at) {
    this.exitCode = exitCode;
    this.terminatedReason = reason;
    this.terminatedMessage = message == null || message.isEmpty() ? null : message;
    this.finishedAt = at;
    if (startedAt == null) {
      startedAt = at;
    }
  }

  synchronized boolean isTerminated() {
    return exitCode != null;
  }

  synchronized boolean isRunning() {
    return exitCode == null && startedAt != null;
  }

  /** The container has a readiness probe: not ready until it succeeds. */
  synchronized void probed() {
    probedReady = false;
  }

  /** The readiness probe's verdict; true when that changes the container's readiness. */
  synchronized boolean ready(boolean ready) {
    boolean changed = !Boolean.valueOf(ready).equals(probedReady);
    probedReady = ready;
    return changed;
  }

  synchronized boolean isReady() {
    return isRunning() && (probedReady == null || probedReady);
  }

  synchronized boolean succeeded() {
    return exitCode != null && exitCode == 0;
  }

  synchronized ContainerStatus status() {
    ContainerState state;
    if (exitCode != null) {
      state = new ContainerStateBuilder().withNewTerminated()
          .withExitCode(exitCode).withReason(terminatedReason).withMessage(terminatedMessage)
          .withStartedAt(ProcessKubelet.time(startedAt)).withFinishedAt(ProcessKubelet.time(finishedAt))
          .withContainerID(containerId()).endTerminated().build();
    } else if (startedAt != null) {
      state = new ContainerStateBuilder().withNewRunning().withStartedAt(ProcessKubelet.time(startedAt)).endRunning().build();
    } else {
      state = new ContainerStateBuilder().withNewWaiting().withReason(waitingReason).withMessage(waitingMessage)
          .endWaiting().build();
    }
    return new ContainerStatusBuilder()
        .withName(name)
        .withImage(image)
        .withImageID(startedAt == null ? "" : "process-kubelet://" + image)
        .withContainerID(containerId())
        .withReady(isReady())
        .withStarted(isRunning())
        .withRestartCount(0)
        .withState(state)
        .build();
  }

  private String containerId() {
    return process == null ? null : "process://" + process.pid();
  }
}
