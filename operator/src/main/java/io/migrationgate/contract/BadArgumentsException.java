package io.migrationgate.contract;

/** A runner command that cannot be acted on; always ends the run with exit code 2 before any I/O. */
public final class BadArgumentsException extends Exception {
  public BadArgumentsException(String message) {
    super(message);
  }
}
