package io.migrationgate.runner;

import io.migrationgate.contract.PlannedState;
import io.migrationgate.contract.RunReport;
import io.migrationgate.contract.RunReport.Finding;
import io.migrationgate.contract.RunReport.HistoryEntry;
import io.migrationgate.contract.RunReport.RiskFinding;
import io.migrationgate.contract.RunnerCommand;
import io.migrationgate.runner.ConnectionProbe.DatabaseIdentity;
import io.migrationgate.runner.review.Rule;
import io.migrationgate.runner.review.ScriptReview;
import io.migrationgate.runner.review.ScriptReview.Review;
import java.util.List;
import javax.sql.DataSource;

/**
 * The plan of a request whose scripts are in an image ({@code --scripts-image}). Nothing of the
 * requester's runs before approval, so the image is not opened and the plan reads the database
 * only: whether the history table exists, the history and current version, the {@link
 * PlannedState} the approval pins and the run checks, and migrations the history records as
 * failed. The review has no scripts to read and says so in one not-analysed finding, which keeps
 * the plan's risk high: never a silent pass.
 */
record ImagePlan(String image, boolean historyTableExists, PlannedState state, List<HistoryEntry> history,
    List<Finding> findings, Review review) {

  static final String NOT_OPENED = "not analysed: image source, not opened before approval";
  static final String BY_HAND = "read the image's scripts yourself before approving (the run copies them out of the"
      + " approved image only after approval), or ship them in a ConfigMap so that the plan reviews them";

  static String scriptsLine(String image) {
    return "scripts: in image " + image + ", not read before approval";
  }

  /** Reads the database and writes the plan's parts into {@code report}; a run would apply whatever the image holds. */
  static ImagePlan read(FlywaySteps flyway, DataSource dataSource, RunnerCommand command, RunReport.Builder report)
      throws RunnerFailure {
    String image = command.scriptsImage().orElseThrow();
    boolean exists = LivePlan.historyTableExists(dataSource, command);
    HistorySnapshot snapshot = flyway.history();
    List<HistoryEntry> history = snapshot.entries();
    // Validation compares the history with scripts this plan does not have; a failed row needs none.
    List<Finding> findings = history.stream().filter(entry -> !entry.success())
        .map(entry -> new Finding(Finding.FAILED, entry.version(), entry.script(), null)).toList();
    List<RiskFinding> notOpened = List.of(new RiskFinding(Rule.NOT_ANALYSED.id(), Rule.NOT_ANALYSED.severity().word(),
        image, null, NOT_OPENED, BY_HAND, null));
    Review review = new Review(notOpened, Rule.NOT_ANALYSED.severity(), ScriptReview.digest(notOpened), List.of());
    ImagePlan plan = new ImagePlan(image, exists, PlannedState.of(snapshot.currentVersion(), history), history,
        findings, review);
    report.historyTableExists(exists)
        .plannedState(plan.state().toString())
        .schemaVersionBefore(plan.state().currentVersion())
        .history(history)
        .findings(findings)
        .risk(review.level(), review.digest(), review.findings());
    return plan;
  }

  /**
   * E.g. "scripts: in image registry/m@sha256:..., not read before approval; read the database only:
   * PostgreSQL 17.6, now at version 2, 2 rows in flyway_schema_history; review: risk high: ...".
   */
  String describe(DatabaseIdentity database) {
    StringBuilder text = new StringBuilder(scriptsLine(image)).append("; read the database only: ")
        .append(database.product()).append(' ').append(database.version()).append(", ")
        .append(state.currentVersion() == null ? "no migration applied" : "now at version " + state.currentVersion());
    text.append(historyTableExists ? ", " + history.size() + (history.size() == 1 ? " row" : " rows") + " in its history"
        : ", no history table yet");
    if (!findings.isEmpty()) {
      text.append("; ").append(findings.size()).append(findings.size() == 1 ? " finding: " : " findings: ")
          .append(findings.get(0).script() != null ? findings.get(0).script() : "version " + findings.get(0).version())
          .append(" failed").append(findings.size() > 1 ? ", ..." : "");
    }
    return text + PlanReview.describe(review);
  }
}
