package io.migrationgate.localcluster.faults;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The run's log and its count of faults: which struck and which were skipped because their moment
 * never came. Shared by the threads that strike faults at once, so every method is safe to call
 * from any of them.
 */
final class FaultTally {

  private final PrintStream out;
  private final long begun = System.nanoTime();
  private final Map<FaultKind, Integer> injected = Collections.synchronizedMap(new EnumMap<>(FaultKind.class));
  private final List<String> skipped = Collections.synchronizedList(new ArrayList<>());

  FaultTally(PrintStream out) {
    this.out = out;
  }

  void injected(FaultKind kind) {
    injected.merge(kind, 1, Integer::sum);
  }

  void skip(FaultKind kind, String why) {
    skipped.add(kind.label() + " (" + why + ")");
    log("skipped %s: %s", kind.label(), why);
  }

  /** A line of the run's log, stamped with the seconds since the run began. */
  void log(String format, Object... args) {
    out.printf("t+%6.1fs %s%n", (System.nanoTime() - begun) / 1e9, String.format(format, args));
  }

  long begun() {
    return begun;
  }

  Map<FaultKind, Integer> injectedSoFar() {
    synchronized (injected) {
      return new EnumMap<>(injected);
    }
  }

  List<String> skippedSoFar() {
    synchronized (skipped) {
      return List.copyOf(skipped);
    }
  }
}
