package io.migrationgate.runner;

import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.PlannedState;
import io.migrationgate.contract.RunReport.HistoryEntry;
import io.migrationgate.contract.RunReport.RiskFinding;
import java.util.ArrayList;
import java.util.List;

/**
 * The launch-time check that the database is still in the state the approved plan was made
 * against. Between approval and launch another team may have migrated, a person may have fixed a
 * row by hand; the run would then apply a different change than the one approved, so it applies
 * nothing and says what moved. Likewise when the rows the scripts depend on changed so that a
 * statement now fails ({@link #requireDataChecksPass}).
 */
final class StalePlan {

  private static final int DIGEST_CHARS_SHOWN = "sha256:".length() + 12;

  private StalePlan() {}

  static void requireUnchanged(PlannedState planned, HistorySnapshot live) throws RunnerFailure {
    List<HistoryEntry> history = live.entries();
    PlannedState now = PlannedState.of(live.currentVersion(), history);
    if (now.equals(planned)) {
      return;
    }
    throw new RunnerFailure(Outcome.PLAN_STALE, "the database moved since the plan: planned "
        + at(planned) + ", now " + at(now) + "; " + whatChanged(planned, history)
        + "; nothing was applied: make a fresh plan and approve it");
  }

  /**
   * The plan's data checks, asked again now: a statement that will fail on the data as it is (or
   * whose values the server would change) stops the run before anything is applied, unless a
   * comment in its script allows the finding. The approval covered the data as the plan saw it.
   */
  static void requireDataChecksPass(PlanReview.Checked checked) throws RunnerFailure {
    List<String> failing = new ArrayList<>();
    for (int i = 0; i < checked.answers().size(); i++) {
      DataAnswer answer = checked.answers().get(i);
      RiskFinding finding = checked.review().findings().get(checked.review().checks().get(i).finding());
      if (answer.verdict().stopsTheRun() && finding.suppressed() == null) {
        failing.add(finding.rule() + " " + finding.script() + ":" + finding.line() + ": " + answer.text());
      }
    }
    if (!failing.isEmpty()) {
      throw new RunnerFailure(Outcome.DATA_CHECK_FAILED, "the data no longer allows the approved change: "
          + String.join("; ", failing) + "; nothing was applied: fix the data (or the script), then make a fresh plan"
          + " and approve it");
    }
  }

  /**
   * Rows are only ever appended to a history, so when the planned history is a prefix of today's
   * the rows after it are what happened since; otherwise a recorded row itself was changed.
   */
  static String whatChanged(PlannedState planned, List<HistoryEntry> history) {
    for (int kept = history.size(); kept >= 0; kept--) {
      if (PlannedState.of(planned.currentVersion(), history.subList(0, kept)).equals(planned)) {
        return describeAdded(history.subList(kept, history.size()));
      }
    }
    return "changed: the history recorded at planning time was edited, repaired or deleted from"
        + " (" + history.size() + (history.size() == 1 ? " row" : " rows") + " now)";
  }

  private static String describeAdded(List<HistoryEntry> added) {
    List<String> applied = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (HistoryEntry entry : added) {
      (entry.success() ? applied : failed).add(entry.script());
    }
    List<String> parts = new ArrayList<>();
    if (!applied.isEmpty()) {
      parts.add("newly applied: " + String.join(", ", applied));
    }
    if (!failed.isEmpty()) {
      parts.add("failed since: " + String.join(", ", failed));
    }
    // Same rows, other current version: only possible if the plan's own text was altered.
    return parts.isEmpty() ? "changed: the current version differs with the same history" : String.join("; ", parts);
  }

  private static String at(PlannedState state) {
    String digest = state.historyDigest().substring(0, DIGEST_CHARS_SHOWN) + "..";
    return (state.currentVersion() == null ? "with no migration applied" : "at version " + state.currentVersion())
        + " (history " + digest + ")";
  }
}
