package io.migrationgate.runner;

/** An option the runner cannot act on; always ends the run with exit code 2 before any I/O. */
public final class BadArgumentsException extends Exception {
  BadArgumentsException(String message) {
    super(message);
  }
}
