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
 * The short run of bench/plan-load.sh: 24 requests on 3 databases in 3 namespaces, created at once
 * with the chart installed, the operator as its ServiceAccount with the chart's settings (the plan
 * on) and the process kubelet running every Job; all approved, all must succeed. On a cluster of
 * its own; {@code -Dmg.planload.seed=<n>} replays the order of a run (its seed is printed first).
 * Logs go to {@code target/e2e-logs/plan-load}.
 */
class PlanLoadIT {

  private static final int REQUESTS = 24;

  @Test
  void aBurstWithThePlanOnSucceedsWholeWithOneRunAtATimePerDatabase() throws Exception {
    long seed = Long.getLong("mg.planload.seed", new SecureRandom().nextLong());
    Path workDir = Files.createTempDirectory("mg-plan-load-");
    try {
      PlanLoadReport report = PlanLoadRun.run(new PlanLoadRun.Settings(REQUESTS, 3, 3, 8, seed,
          Duration.ofSeconds(150), workDir, ChartRelease.jar(), System.getProperty("java.class.path")), System.out);
      String figures = "seed " + seed + "\n" + String.join("\n", report.lines());

      assertThat(report.spuriousFailures()).as(figures).isEmpty();
      assertThat(report.succeeded()).as(figures).isEqualTo(REQUESTS);
      // each request was planned by a plan Job: the plan was on
      assertThat(report.planJobsCreated()).as(figures).isGreaterThanOrEqualTo(REQUESTS);
      assertThat(report.runOverlaps()).as(figures).isEmpty();
      assertThat(report.peakRunJobsPerDatabase()).as(figures).isEqualTo(1);
      assertThat(report.problems()).as(figures).isEmpty();
    } finally {
      E2eLogs.keep(workDir, "plan-load");
      if (!Boolean.getBoolean("mg.keepWorkDir")) {
        Processes.deleteTree(workDir);
      }
    }
  }
}
