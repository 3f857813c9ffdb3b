package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.Conditions.Reason;
import java.util.Set;

/** What the Job and its Pod say, reduced to what the request's status needs. */
public record JobObservation(
    State state,
    String reason,
    String message,
    String startedAt,
    String finishedAt,
    String pod,
    Integer exitCode,
    String terminationMessage) {

  private static final Set<String> POD_WAITING = Set.of(Reason.SECRET_NOT_FOUND, Reason.IMAGE_PULL_FAILED);

  /** The pod exists but cannot start yet: its credentials Secret is missing, or its image cannot be pulled. */
  public boolean podWaiting() {
    return state == State.PENDING && POD_WAITING.contains(reason);
  }

  public enum State {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED
  }
}
