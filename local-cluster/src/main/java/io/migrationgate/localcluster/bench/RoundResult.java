package io.migrationgate.localcluster.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What one round measured for one N. {@code awaiting*} count the requests that reached
 * AwaitingApproval, {@code jobs*} the Jobs in each namespace at the end (one per approval).
 */
public record RoundResult(int n, int round, List<Figure> figures, ApiWrites idleWithOperator, ApiWrites idleBaseline,
    int awaitingOperator, int awaitingMinimal, int jobsOperator, int jobsMinimal, int approvals) {

  /** The readable table: one row per figure, operator and minimal side by side. */
  public List<String> table() {
    List<String> lines = new ArrayList<>();
    lines.add("N=" + n + ", round " + round + " (requests AwaitingApproval: operator " + awaitingOperator
        + ", minimal " + awaitingMinimal + "; Jobs: operator " + jobsOperator + ", minimal " + jobsMinimal
        + " for " + approvals + " approvals each)");
    lines.add(String.format("| %-50s | %12s | %12s | %7s | %-14s |", "figure", "operator", "minimal", "op/min",
        "load 1/5/15 m"));
    lines.add("|" + "-".repeat(52) + "|" + "-".repeat(14) + "|" + "-".repeat(14) + "|" + "-".repeat(9) + "|"
        + "-".repeat(16) + "|");
    figures.forEach(f -> lines.add(f.row()));
    lines.add("API writes idle, operator running: " + idleWithOperator);
    lines.add("API writes idle, baseline (operator stopped): " + idleBaseline);
    return lines;
  }
}
