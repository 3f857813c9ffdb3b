package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.localcluster.faults.FaultReport;
import io.migrationgate.localcluster.faults.FaultRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The short fault-injection run, in the configuration users run: 20 requests, the chart installed
 * with helm, two operator replicas as its ServiceAccount, the database plan on, a few faults of
 * each kind while the requests are planned and while they run, on a cluster of its own.
 * {@code -Dmg.faults.seed=<n>} replays the plan of a run (its seed is printed first). The long run
 * is bench/fault-injection.sh. Logs go to {@code target/e2e-logs/faults}.
 */
class FaultInjectionIT {

  @Test
  void atMostOneJobPerRequestAndNoLostApprovalUnderFaults() throws Exception {
    long seed = Long.getLong("mg.faults.seed", new SecureRandom().nextLong());
    Path workDir = Files.createTempDirectory("mg-faults-");
    try {
      FaultReport report = FaultRun.run(new FaultRun.Settings(20, 5, seed, Duration.ofMillis(1000),
          Duration.ofSeconds(90), workDir, ChartRelease.jar(), ChartRelease.chart()), System.out);
      report.lines().forEach(System.out::println);
      String figures = String.join("\n", report.lines());
      assertThat(report.figures().violations()).as("guarantees broken (seed %d)\n%s", seed, figures).isZero();
      assertThat(report.sigtermHangs()).as("leaders that hung on SIGTERM (seed %d)\n%s", seed, figures).isZero();
      assertThat(report.windows().any()).as("a leader kill caught a launch in one of its windows\n%s", figures)
          .isTrue();
      assertThat(report.planWindows().any())
          .as("a leader kill caught a plan Job's launch in one of its windows\n%s", figures).isTrue();
    } finally {
      E2eLogs.keep(workDir, "faults");
      if (!Boolean.getBoolean("mg.keepWorkDir")) {
        Processes.deleteTree(workDir);
      }
    }
  }
}
