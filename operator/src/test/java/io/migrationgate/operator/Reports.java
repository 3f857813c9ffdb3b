package io.migrationgate.operator;

import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.RunReport;
import java.util.ArrayList;
import java.util.List;

/** Runner reports as the runner writes them into the termination message. */
public final class Reports {

  private Reports() {}

  public static String compact(Outcome outcome, String message, String versionAfter, int applied) {
    List<RunReport.AppliedMigration> steps = new ArrayList<>();
    for (int i = 1; i <= applied; i++) {
      steps.add(new RunReport.AppliedMigration(String.valueOf(i), "step " + i, "V" + i + "__step.sql", 5));
    }
    boolean verificationFailed = outcome == Outcome.VERIFICATION_FAILED;
    return RunReport.builder()
        .outcome(outcome)
        .message(message)
        .flywayVersion("13.12.1")
        .schemaVersionBefore("0")
        .schemaVersionAfter(versionAfter)
        .applied(steps)
        .verification(List.of(new RunReport.VerificationResult("status column exists",
            !verificationFailed, verificationFailed ? "0" : "1", "1", null)))
        .build()
        .toCompactJson(RunReport.TERMINATION_MESSAGE_MAX_BYTES);
  }

  /** A plan Job's report: an empty database with {@code pending} scripts to apply. */
  public static String plan(int pending) {
    List<RunReport.PendingMigration> scripts = new ArrayList<>();
    for (int i = 1; i <= pending; i++) {
      scripts.add(new RunReport.PendingMigration(String.valueOf(i), "step " + i, "V" + i + "__step.sql", i));
    }
    return RunReport.builder().program("plan").outcome(Outcome.SUCCEEDED).message("planned")
        .databaseProduct("PostgreSQL").databaseVersion("17.6").historyTableExists(false)
        .plannedState(io.migrationgate.contract.PlannedState.of(null, List.of()).toString())
        .pending(scripts).build()
        .toCompactJson(RunReport.TERMINATION_MESSAGE_MAX_BYTES);
  }

  public static String succeeded(int applied) {
    return compact(Outcome.SUCCEEDED, "applied " + applied + " migration(s)", String.valueOf(applied), applied);
  }
}
