package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.DatabaseCheck;
import io.migrationgate.contract.PlannedState;
import io.migrationgate.contract.RunReport;
import java.util.List;

/**
 * What a plan Job's report leaves in status.plan.check: the database's product, its state and
 * current version, the pending scripts and the findings, each finding said in words an approver
 * reads. The full report stays in the plan's evidence.
 */
final class PlanJobReports {

  /** How many pending scripts status lists; the total is always there, the rest in the evidence. */
  static final int PENDING_SHOWN = 20;

  private PlanJobReports() {}

  static void record(DatabaseCheck check, RunReport report, String now) {
    // A plan report leaves out a list it has nothing in.
    List<RunReport.PendingMigration> pending = report.pending() == null ? List.of() : report.pending();
    List<RunReport.Finding> findings = report.findings() == null ? List.of() : report.findings();
    check.product = report.databaseProduct() == null ? null
        : report.databaseProduct() + (report.databaseVersion() == null ? "" : " " + report.databaseVersion());
    check.state = report.plannedState();
    check.currentVersion = PlannedState.parse(report.plannedState()).currentVersion();
    check.pendingTotal = report.pendingTotal() == null ? pending.size() : report.pendingTotal();
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
