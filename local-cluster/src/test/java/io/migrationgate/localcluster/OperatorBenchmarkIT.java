package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.localcluster.bench.Figure;
import io.migrationgate.localcluster.bench.ImageJvm;
import io.migrationgate.localcluster.bench.OperatorBenchmark;
import io.migrationgate.localcluster.bench.RoundResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A short run of the operator benchmark's own code (bench/operator-benchmark.sh runs the long one):
 * 20 requests, 10 approvals, 5 s idle, on a control plane of its own. It fails when any figure is
 * missing or not sane, so the benchmark cannot rot between the runs docs/benchmarks.md reports.
 */
class OperatorBenchmarkIT {

  private static final int N = 20;
  private static final int APPROVALS = 10;

  @Test
  void everyFigureIsMeasuredForTheOperatorAndTheMinimalController() throws Exception {
    Path workDir = Files.createTempDirectory("mg-bench-");
    try {
      OperatorBenchmark.Settings settings = new OperatorBenchmark.Settings(List.of(N), APPROVALS, 5, 1,
          ChartRelease.jar(), ChartRelease.repo(), workDir, System.getProperty("java.class.path"),
          ImageJvm.of(ChartRelease.repo()));
      List<RoundResult> results = OperatorBenchmark.run(settings, System.out);

      assertThat(results).hasSize(1);
      RoundResult round = results.get(0);
      String table = String.join("\n", round.table());
      assertThat(OperatorBenchmark.problems(results)).as(table).isEmpty();
      assertThat(round.awaitingOperator()).isEqualTo(N);
      assertThat(round.awaitingMinimal()).isEqualTo(N);
      assertThat(round.jobsOperator()).isEqualTo(APPROVALS);
      assertThat(round.jobsMinimal()).isEqualTo(APPROVALS);
      assertThat(round.figures()).extracting(Figure::what).contains(
          "start -> /readyz, 0 requests", "RSS, 0 requests", "heap after full GC, 0 requests",
          "burst -> all AwaitingApproval, from 1st create", "burst -> all AwaitingApproval, after last create",
          "RSS, 20 requests at rest", "heap after full GC, 20 requests at rest", "retained heap per request",
          "approval -> Job seen, p50", "approval -> Job seen, p90", "approval -> Job seen, p99",
          "SIGTERM -> exit", "API writes in 5 s idle, operator running", "API writes in 5 s idle, baseline",
          "start -> /readyz, 20 requests present", "start -> all 20 taken in");
      for (Figure f : round.figures()) {
        assertThat(f.load()).as(f.what()).matches("\\d+\\.\\d+ \\d+\\.\\d+ \\d+\\.\\d+");
        if (f.what().startsWith("RSS") || f.what().startsWith("heap")) {
          assertThat(f.operator()).as(f.what()).isGreaterThan(1);
          assertThat(f.minimal().getAsDouble()).as(f.what()).isGreaterThan(1);
        }
        if (f.what().startsWith("approval") || f.what().startsWith("burst -> all AwaitingApproval, from")
            || f.what().startsWith("start ")) {
          assertThat(f.operator()).as(f.what()).isPositive();
          assertThat(f.ratio()).as("ratio of " + f.what()).isPresent();
        }
      }
      // the operator runs with leader election, as the chart installs it, so it renews its Lease while idle
      assertThat(round.idleWithOperator().byResourceAndVerb().keySet()).as("idle writes with the operator running")
          .anyMatch(k -> k.startsWith("leases "));
    } finally {
      E2eLogs.keep(workDir, "bench");
      if (!Boolean.getBoolean("mg.keepWorkDir")) {
        Processes.deleteTree(workDir);
      }
    }
  }
}
