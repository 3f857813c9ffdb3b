package io.migrationgate.localcluster.bench;

import io.migrationgate.localcluster.Processes;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * One measured figure of a round: the operator's value, the minimal controller's where it has one,
 * and the machine's load average when it was taken.
 */
public record Figure(String what, Unit unit, double operator, OptionalDouble minimal, String load) {

  /** How a value is kept and printed. */
  public enum Unit {
    SECONDS, MILLIS, MIB, BYTES, COUNT;

    String format(double value) {
      return switch (this) {
        case SECONDS -> String.format(Locale.ROOT, "%.2f s", value);
        case MILLIS -> String.format(Locale.ROOT, "%.1f ms", value);
        case MIB -> String.format(Locale.ROOT, "%.1f MiB", value);
        case BYTES -> String.format(Locale.ROOT, "%.0f B", value);
        case COUNT -> String.format(Locale.ROOT, "%.0f", value);
      };
    }
  }

  static Figure both(String what, Unit unit, double operator, double minimal) {
    return new Figure(what, unit, operator, OptionalDouble.of(minimal), Processes.loadAverage());
  }

  static Figure operatorOnly(String what, Unit unit, double operator) {
    return new Figure(what, unit, operator, OptionalDouble.empty(), Processes.loadAverage());
  }

  /** operator / minimal; empty without a minimal value or when it is zero. */
  public OptionalDouble ratio() {
    return minimal.isPresent() && minimal.getAsDouble() != 0
        ? OptionalDouble.of(operator / minimal.getAsDouble()) : OptionalDouble.empty();
  }

  String row() {
    return String.format(Locale.ROOT, "| %-50s | %12s | %12s | %7s | %-14s |", what, unit.format(operator),
        minimal.isPresent() ? unit.format(minimal.getAsDouble()) : "-",
        ratio().isPresent() ? String.format(Locale.ROOT, "%.2f", ratio().getAsDouble()) : "-", load);
  }
}
