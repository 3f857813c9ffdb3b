package io.migrationgate.runner;

import io.migrationgate.Main;
import io.migrationgate.contract.RunReport;
import io.migrationgate.contract.RunnerJvm;
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
import java.util.concurrent.TimeUnit;

/**
 * Calls {@link RunnerMain#run} (or {@link PlanMain#run}) in-process the way the Job does, capturing
 * everything it emits; or starts the program as its own JVM, as a Job starts it, where the runner's
 * logging is configured and the drivers' and Flyway's log lines reach stderr too.
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

  static Result check(Path reportFile, Map<String, String> env, String... args) throws IOException {
    return run(RunnerMain.Program.CHECK, reportFile, env, args);
  }

  /**
   * {@code program} ({@code run} or {@code plan}) as its own JVM with the Job's options and the
   * jar's main class; {@code dir} receives its stdout, stderr and termination log. The archive
   * option names a file that does not exist, as on a machine without the image's archive.
   */
  static Result inItsOwnJvm(String program, Path dir, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : RunnerJvm.OPTIONS) {
      command.add(option.replace(RunnerJvm.CLASS_DATA_ARCHIVE, dir.resolve("absent.jsa").toString()));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), program));
    command.addAll(List.of(args));
    Path reportFile = dir.resolve("termination-log");
    command.add("--report-file=" + reportFile);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(dir.resolve("stdout").toFile())
        .redirectError(dir.resolve("stderr").toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("MG_") || name.equals("JAVA_TOOL_OPTIONS"));
    builder.environment().putAll(env);
    long start = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(program + " did not end within a minute");
    }
    String stdout = Files.readString(dir.resolve("stdout"));
    return new Result(process.exitValue(), stdout, Files.readString(dir.resolve("stderr")),
        stdout.lines().filter(line -> line.startsWith(RunReport.STDOUT_MARKER)).toList(),
        Files.exists(reportFile) ? Files.readString(reportFile) : null, Duration.ofNanos(System.nanoTime() - start));
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
