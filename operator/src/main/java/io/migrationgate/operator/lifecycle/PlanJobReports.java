package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.DatabaseCheck;
import io.migrationgate.api.v1alpha1.PlanRisk;
import io.migrationgate.api.v1alpha1.PlanStatus;
import io.migrationgate.contract.PlannedState;
import io.migrationgate.contract.RunReport;
import java.util.Comparator;
import java.util.List;

/**
 * What a plan Job's report leaves in status.plan.check: the database's product, its state and
 * current version, the pending scripts and the findings, each finding said in words an approver
 * reads; and in status.plan.risk, the review of the pending scripts. The full report stays in the
 * plan's evidence.
 */
final class PlanJobReports {

  /** How many pending scripts status lists; the total is always there, the rest in the evidence. */
  static final int PENDING_SHOWN = 20;
  /** How many review findings status lists, those that stand first; the total is always there. */
  static final int RISK_FINDINGS_SHOWN = 20;
  private static final int RISK_FINDINGS_NAMED = 3;

  private PlanJobReports() {}

  /**
   * {@code scriptsRead} is false for an image source, whose plan Job does not open the image: its
   * pending scripts are unknown (no pendingTotal), never "nothing to apply".
   */
  static void record(DatabaseCheck check, RunReport report, String now, boolean scriptsRead) {
    // A plan report leaves out a list it has nothing in.
    List<RunReport.PendingMigration> pending = report.pending() == null ? List.of() : report.pending();
    List<RunReport.Finding> findings = report.findings() == null ? List.of() : report.findings();
    check.product = report.databaseProduct() == null ? null
        : report.databaseProduct() + (report.databaseVersion() == null ? "" : " " + report.databaseVersion());
    check.state = report.plannedState();
    check.currentVersion = PlannedState.parse(report.plannedState()).currentVersion();
    check.pendingTotal = !scriptsRead ? null : report.pendingTotal() == null ? pending.size() : report.pendingTotal();
    check.pending.clear();
    pending.stream().limit(PENDING_SHOWN).forEach(p ->
        check.pending.add(new DatabaseCheck.PendingScript(p.version(), p.script(), p.checksum())));
    check.findings.clear();
    findings.forEach(f -> check.findings.add(describe(f)));
    if (report.findingsTotal() != null && report.findingsTotal() > findings.size()) {
      check.findings.add((report.findingsTotal() - findings.size()) + " more in the plan's evidence");
    }
    check.checkedAt = now;
  }

  /**
   * The review, when the report has one (a runner from before the review leaves it out, and the
   * plan then has no risk). The level and digest are the runner's, made over every finding; the
   * findings a compacted report still carries are listed, those that stand first.
   */
  static void recordRisk(PlanStatus plan, RunReport report) {
    if (report.riskLevel() == null) {
      plan.risk = null;
      return;
    }
    PlanRisk risk = new PlanRisk();
    risk.level = report.riskLevel();
    risk.digest = report.riskDigest();
    List<RunReport.RiskFinding> findings = report.riskFindings() == null ? List.of() : report.riskFindings();
    risk.findingsTotal = report.riskFindingsTotal() == null ? findings.size() : report.riskFindingsTotal();
    findings.stream().sorted(Comparator.comparing(f -> f.suppressed() != null)).limit(RISK_FINDINGS_SHOWN)
        .forEach(f -> risk.findings.add(new PlanRisk.Finding(f.rule(), f.severity(), f.script(), f.line(), f.message(),
            f.saferAlternative(), f.suppressed())));
    plan.risk = risk;
  }

  /**
   * "; risk high: data-unique V4__email.sql:1 will fail, pg-index-without-concurrently V3__index.sql:2, ..."
   * for the AwaitingApproval message (status.plan.risk has the rest); empty without a review.
   */
  static String riskSummary(PlanRisk risk) {
    if (risk == null || risk.level == null) {
      return "";
    }
    // those the plan's data checks found will fail are named first
    List<PlanRisk.Finding> standing = risk.findings.stream().filter(f -> f.suppressed == null)
        .sorted(Comparator.comparing(f -> !RunReport.RiskFinding.willFail(f.message))).toList();
    StringBuilder text = new StringBuilder("; risk ").append(risk.level);
    for (int i = 0; i < Math.min(RISK_FINDINGS_NAMED, standing.size()); i++) {
      PlanRisk.Finding finding = standing.get(i);
      // a finding about a whole image (not opened before approval) has no line
      text.append(i == 0 ? ": " : ", ").append(finding.rule).append(' ').append(finding.script)
          .append(finding.line == null ? "" : ":" + finding.line)
          .append(RunReport.RiskFinding.willFail(finding.message) ? " will fail" : "");
    }
    long allowed = risk.findings.size() - standing.size();
    int unlisted = risk.findingsTotal == null ? 0 : risk.findingsTotal - risk.findings.size();
    if (standing.size() > RISK_FINDINGS_NAMED || unlisted > 0) {
      text.append(", ...");
    }
    if (allowed > 0) {
      text.append("; ").append(allowed).append(" allowed by the scripts' comments");
    }
    return text.toString();
  }

  private static String describe(RunReport.Finding finding) {
    String what = switch (finding.kind()) {
      case RunReport.Finding.CHECKSUM_DRIFT -> "changed since it was applied (checksum drift)";
      case RunReport.Finding.FAILED -> "failed when it was applied and is still marked failed in the history";
      case RunReport.Finding.MISSING -> "is applied but no longer among the scripts";
      case RunReport.Finding.OUT_OF_ORDER -> "is older than the current version and flyway.outOfOrder is off";
      default -> finding.message() == null ? finding.kind() : finding.message();
    };
    return (finding.script() != null ? finding.script() : "version " + finding.version()) + " " + what;
  }
}
