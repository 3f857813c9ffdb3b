package io.migrationgate.localcluster.planload;

import io.migrationgate.localcluster.Processes;

/** The most of something seen at once, and the load average when it was first reached. */
record Peak(int value, String load) {

  static Peak none() {
    return new Peak(0, Processes.loadAverage());
  }

  /** This peak, or a new one at {@code seen} (with the load now) when that is higher. */
  Peak raise(int seen) {
    return seen > value ? new Peak(seen, Processes.loadAverage()) : this;
  }
}
