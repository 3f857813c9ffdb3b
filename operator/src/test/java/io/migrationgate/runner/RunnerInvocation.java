package io.migrationgate.runner;

import io.migrationgate.contract.RunReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls {@link RunnerMain#run} (or {@link PlanMain#run}) in-process the way the Job does, capturing
 * everything it emits.
 */
final class RunnerInvocation {

  record Result(
      int exitCode,
      String stdout,
      String stderr,
      List<String> reportLines,
      String compactJson,
      Duration elapsed) {

    /** The full report from the single marked stdout line. */
    RunReport report() {
      if (reportLines.size() != 1) {
        throw new AssertionError("expected exactly one report line on stdout, got: " + stdout);
      }
      return RunReport.fromStdoutLine(reportLines.get(0)).orElseThrow();
    }

    RunReport compactReport() {
      return RunReport.parse(compactJson);
    }
  }

  private RunnerInvocation() {}

  static Result run(Path reportFile, Map<String, String> env, String... args) throws IOException {
    return run(RunnerMain.Program.RUN, reportFile, env, args);
  }

  static Result plan(Path reportFile, Map<String, String> env, String... args) throws IOException {
    return run(RunnerMain.Program.PLAN, reportFile, env, args);
  }

  private static Result run(RunnerMain.Program program, Path reportFile, Map<String, String> env, String... args)
      throws IOException {
    List<String> allArgs = new ArrayList<>(Arrays.asList(args));
    if (allArgs.stream().noneMatch(a -> a.startsWith("--report-file"))) {
      allArgs.add("--report-file=" + reportFile);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long start = System.nanoTime();
    int exitCode;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exitCode = RunnerMain.run(program, allArgs.toArray(String[]::new), new HashMap<>(env), outStream, errStream);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    String stdout = out.toString(StandardCharsets.UTF_8);
    String stderr = err.toString(StandardCharsets.UTF_8);
    System.err.print(stderr);
    List<String> reportLines =
        stdout.lines().filter(line -> line.startsWith(RunReport.STDOUT_MARKER)).toList();
    String compact = Files.exists(reportFile) ? Files.readString(reportFile) : null;
    return new Result(exitCode, stdout, stderr, reportLines, compact, elapsed);
  }
}
