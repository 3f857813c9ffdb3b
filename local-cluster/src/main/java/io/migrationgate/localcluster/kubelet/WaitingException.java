package io.migrationgate.localcluster.kubelet;

/**
 * A container cannot start yet, with the waiting reason and message the real kubelet would show
 * ({@code CreateContainerConfigError}: {@code secret "db" not found}). The kubelet retries.
 */
final class WaitingException extends Exception {

  private final String reason;

  WaitingException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
