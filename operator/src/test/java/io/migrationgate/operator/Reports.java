package io.migrationgate.operator;

import io.migrationgate.contract.RunReport;

/** Runner reports as the runner writes them into the termination message. */
final class Reports {

  private Reports() {}

  static String compact(RunReport.Outcome outcome, int exitCode, String message, String versionAfter, int applied) {
    RunReport report = new RunReport();
    report.setOutcome(outcome);
    report.setExitCode(exitCode);
    report.setMessage(message);
    report.setFlywayVersion("13.12.1");
    report.setSchemaVersionBefore("0");
    report.setSchemaVersionAfter(versionAfter);
    for (int i = 1; i <= applied; i++) {
      report.getApplied().add(new RunReport.AppliedMigration(String.valueOf(i), "step " + i, "V" + i + "__step.sql", 5));
    }
    report.getVerification().add(new RunReport.VerificationResult("status column exists",
        outcome != RunReport.Outcome.VERIFICATION_FAILED, outcome == RunReport.Outcome.VERIFICATION_FAILED ? "0" : "1", "1", null));
    return report.toCompactJson(RunReport.TERMINATION_MESSAGE_MAX_BYTES);
  }

  static String succeeded(int applied) {
    return compact(RunReport.Outcome.SUCCEEDED, 0, "applied " + applied + " migration(s)", String.valueOf(applied), applied);
  }
}
