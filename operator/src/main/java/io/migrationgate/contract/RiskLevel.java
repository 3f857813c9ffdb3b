package io.migrationgate.contract;

import io.migrationgate.contract.RunReport.RiskFinding;
import java.util.List;
import java.util.Locale;

/**
 * How much a plan's scripts can hurt, from its review findings: the highest severity among those
 * not suppressed. The plan program decides it over every finding (a compacted report may carry
 * fewer), and the operator shows it in {@code status.plan.risk.level}.
 */
public enum RiskLevel {
  /** No finding, or every one suppressed with a reason. */
  NONE,
  /** Worth a look: a statement that may fail on the data, or a lock without a timeout. */
  LOW,
  /** Locks or rewrites a table that is in use, fails the run, or could not be analysed. */
  HIGH,
  /** Loses data or breaks code that runs against the schema now. */
  DESTRUCTIVE;

  /** The word in reports and status: none, low, high, destructive. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RiskLevel ofWord(String word) {
    for (RiskLevel level : values()) {
      if (level.word().equals(word)) {
        return level;
      }
    }
    throw new IllegalArgumentException("'" + word + "' is not a risk level; expected none, low, high or destructive");
  }

  public static RiskLevel of(List<RiskFinding> findings) {
    RiskLevel highest = NONE;
    for (RiskFinding finding : findings) {
      RiskLevel severity = ofWord(finding.severity());
      if (finding.suppressed() == null && severity.compareTo(highest) > 0) {
        highest = severity;
      }
    }
    return highest;
  }
}
