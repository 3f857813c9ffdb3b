package io.migrationgate.operator.lifecycle;

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

  public enum State {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED
  }
}
