package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.localcluster.planload.PlanLoadReport;
import io.migrationgate.localcluster.planload.PlanLoadRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The short run of bench/plan-load.sh: 18 requests on 6 databases in 3 namespaces, created at once
 * with the chart installed, the operator as its ServiceAccount with the chart's settings (the plan
 * on) and the process kubelet running every Job; all approved, all must succeed. Six databases
 * against the chart's limits (1 plan Job per database, 4 in all) make both limits bind. On a cluster of
 * its own; {@code -Dmg.planload.seed=<n>} replays the order of a run (its seed is printed first).
 * Logs go to {@code target/e2e-logs/plan-load}.
 */
class PlanLoadIT {

  private static final int REQUESTS = 18;
  private static final int DATABASES = 6;

  @Test
  void aBurstWithThePlanOnSucceedsWholeWithOneRunAtATimePerDatabase() throws Exception {
    long seed = Long.getLong("mg.planload.seed", new SecureRandom().nextLong());
    Path workDir = Files.createTempDirectory("mg-plan-load-");
    try {
      PlanLoadReport report = PlanLoadRun.run(new PlanLoadRun.Settings(REQUESTS, DATABASES, 3, 8, seed,
          Duration.ofSeconds(300), workDir, ChartRelease.jar(), ChartRelease.chart(),
          System.getProperty("java.class.path")), System.out);
      String figures = "seed " + seed + "\n" + String.join("\n", report.lines());

      assertThat(report.spuriousFailures()).as(figures).isEmpty();
      assertThat(report.succeeded()).as(figures).isEqualTo(REQUESTS);
      // each request was planned by a plan Job: the plan was on
      assertThat(report.planJobsCreated()).as(figures).isGreaterThanOrEqualTo(REQUESTS);
      assertThat(report.runOverlaps()).as(figures).isEmpty();
      assertThat(report.peakRunJobsPerDatabase()).as(figures).isEqualTo(1);
      assertThat(report.planJobsMax()).as("the chart's databasePlan.maxConcurrent").isPresent();
      assertThat(report.planJobsPerDatabase()).as("the chart's databasePlan.maxPerDatabase").isPresent();
      assertThat(report.peakPlanJobs()).as(figures).isBetween(1, report.planJobsMax().getAsInt());
      assertThat(report.peakPlanJobsPerDatabase()).as(figures).isBetween(1, report.planJobsPerDatabase().getAsInt());
      // three requests per database against one plan Job per database: the bound held some back
      assertThat(report.readyReasonsSeen()).as(figures).containsKey("WaitingForPlanSlot");
      assertThat(report.problems()).as(figures).isEmpty();
    } finally {
      E2eLogs.keep(workDir, "plan-load");
      if (!Boolean.getBoolean("mg.keepWorkDir")) {
        Processes.deleteTree(workDir);
      }
    }
  }
}
