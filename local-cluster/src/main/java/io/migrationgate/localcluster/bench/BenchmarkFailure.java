package io.migrationgate.localcluster.bench;

/** A figure that could not be measured: the run says which and why, and exits non-zero. */
public final class BenchmarkFailure extends RuntimeException {

  BenchmarkFailure(String message) {
    super(message);
  }

  BenchmarkFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
