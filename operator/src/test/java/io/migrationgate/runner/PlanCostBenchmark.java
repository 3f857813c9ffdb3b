package io.migrationgate.runner;

import io.migrationgate.contract.RunReport;
import io.migrationgate.contract.RunnerJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one plan costs as a process, the way a plan Job runs it (bench/plan-benchmark.sh,
 * docs/benchmarks.md "The plan program's cost"). Starts an embedded PostgreSQL whose migrator logs
 * in with a scram password, applies two of four scripts, then plans the other two again and again,
 * each time as a new JVM, round by round through every variant so that drifting machine load hits
 * them alike:
 *
 * <ul>
 *   <li>one variant per older jar (the script's BEFORE refs, named by ref) with the Job's JVM options
 *       before the Job got the image's flags;
 *   <li>{@code code}: this jar with those same options, so the code's share shows on its own;
 *   <li>{@code code+flags}: this jar with the Job's options ({@link RunnerJvm}) but no class-data
 *       archive;
 *   <li>{@code job}: this jar exactly as a Job starts it, archive included.
 * </ul>
 *
 * Prints, per variant, the medians of wall time (fork to exit), CPU time (user + sys, from this
 * process's waited-for-children counters) and the plan's own "first database connection N ms after
 * process start", and, from one more run with {@code -Xlog:class+load}, how many classes it loaded
 * and how many of those came from a class-data archive. It asserts nothing beyond "every plan
 * succeeded": a benchmark, not a test. Test scope, never shipped.
 *
 * <p>Arguments: rounds, this jar (its archive beside it, as the build writes it), then any number of
 * {@code name=jar} for older jars.
 */
public final class PlanCostBenchmark {

  /** The Job's JVM options when JobFactory's command still left the image's flags out. */
  static final List<String> OPTIONS_BEFORE = List.of("-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp");

  private static final Pattern FIRST_CONNECTION =
      Pattern.compile("first database connection (\\d+) ms after process start");
  // /proc/self/stat counts CPU time in clock ticks; Linux reports USER_HZ = 100 to user space.
  private static final long MILLIS_PER_TICK = 10;

  record Variant(String name, Path jar, List<String> options) {}

  record Sample(long wallMillis, long cpuMillis, long firstConnectionMillis) {}

  private PlanCostBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    Path jar = Path.of(args[1]).toAbsolutePath().normalize();
    Path archive = jar.resolveSibling("migration-gate.jsa");
    List<Variant> variants = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      String[] older = args[i].split("=", 2);
      variants.add(new Variant(older[0], Path.of(older[1]).toAbsolutePath(), OPTIONS_BEFORE));
    }
    variants.add(new Variant("code", jar, OPTIONS_BEFORE));
    List<String> withoutArchive = new ArrayList<>(RunnerJvm.OPTIONS);
    withoutArchive.removeIf(option -> option.startsWith("-XX:SharedArchiveFile="));
    variants.add(new Variant("code+flags", jar, withoutArchive));
    List<String> asTheJob = new ArrayList<>();
    for (String option : RunnerJvm.OPTIONS) {
      asTheJob.add(option.replace(RunnerJvm.CLASS_DATA_ARCHIVE, archive.toString()));
    }
    variants.add(new Variant("job", jar, asTheJob));

    Path work = Files.createTempDirectory("mg-plan-cost");
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    Map<String, String> classes = new HashMap<>();
    try (EmbeddedPostgresDatabase postgres = EmbeddedPostgresDatabase.start()) {
      String url = postgres.newDatabaseUrl();
      Path scripts = Files.createDirectory(work.resolve("scripts"));
      Files.writeString(scripts.resolve("V1__create_orders.sql"), "create table orders (id bigint primary key, customer text);\n");
      Files.writeString(scripts.resolve("V2__seed_orders.sql"), "insert into orders (id, customer) values (1, 'a');\n");
      Files.writeString(scripts.resolve("V3__add_status.sql"), "alter table orders add column status varchar(20);\n");
      Files.writeString(scripts.resolve("V4__add_total.sql"), "alter table orders add column total numeric(10,2);\n");
      Map<String, String> env = postgres.migratorCredentials();
      List<String> program = List.of("--scripts=" + scripts, "--url=" + url, "--report-file=");
      List<String> migrate = new ArrayList<>(List.of("-jar", jar.toString(), "run", "--target=2"));
      migrate.addAll(program);
      run(work, env, migrate, "run");

      for (Variant variant : variants) {
        List<String> command = new ArrayList<>(variant.options());
        command.add("-Xlog:class+load=info:file=" + work.resolve(variant.name() + ".classes"));
        command.addAll(List.of("-jar", variant.jar().toString(), "plan"));
        command.addAll(program);
        run(work, env, command, variant.name());
        List<String> loaded = Files.readAllLines(work.resolve(variant.name() + ".classes"));
        long shared = loaded.stream().filter(line -> line.contains("source: shared objects file")).count();
        classes.put(variant.name(), loaded.size() + " classes, " + shared + " from an archive");
      }
      for (int round = 1; round <= rounds; round++) {
        StringBuilder line = new StringBuilder("round " + round + ":");
        for (Variant variant : variants) {
          List<String> command = new ArrayList<>(variant.options());
          command.addAll(List.of("-jar", variant.jar().toString(), "plan"));
          command.addAll(program);
          Sample sample = run(work, env, command, variant.name());
          samples.computeIfAbsent(variant.name(), name -> new ArrayList<>()).add(sample);
          line.append(" ").append(variant.name()).append(" ").append(sample.wallMillis()).append("/")
              .append(sample.cpuMillis()).append(" ms");
        }
        System.out.println(line + " (wall/cpu), load " + loadAverage());
      }
    }

    System.out.printf("%nrounds: %d, java %s, %d cores%n", rounds, System.getProperty("java.runtime.version"),
        Runtime.getRuntime().availableProcessors());
    System.out.printf("%-11s %10s %10s %10s %10s  %s%n", "variant", "wall", "cpu", "wall min", "1st conn", "classes");
    for (Variant variant : variants) {
      List<Sample> of = samples.get(variant.name());
      System.out.printf("%-11s %7d ms %7d ms %7d ms %7d ms  %s%n", variant.name(),
          median(of.stream().mapToLong(Sample::wallMillis).toArray()),
          median(of.stream().mapToLong(Sample::cpuMillis).toArray()),
          of.stream().mapToLong(Sample::wallMillis).min().orElseThrow(),
          median(of.stream().mapToLong(Sample::firstConnectionMillis).toArray()),
          classes.get(variant.name()));
    }
    System.out.println("load average at the end: " + loadAverage());
  }

  /** Runs one JVM to its end; its report must say SUCCEEDED. */
  private static Sample run(Path work, Map<String, String> env, List<String> args, String name)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(args);
    Path stdout = work.resolve(name + ".out");
    Path stderr = work.resolve(name + ".err");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    builder.environment().keySet().removeIf(variable -> variable.startsWith("MG_") || variable.equals("JAVA_TOOL_OPTIONS"));
    builder.environment().putAll(env);
    long cpuBefore = childrenCpuMillis();
    long start = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException(name + " did not end within 2 minutes");
    }
    long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    long cpu = childrenCpuMillis() - cpuBefore;
    boolean succeeded = Files.readAllLines(stdout, StandardCharsets.UTF_8).stream()
        .map(RunReport::fromStdoutLine).flatMap(java.util.Optional::stream)
        .anyMatch(report -> report.outcome().succeeded());
    String errors = Files.readString(stderr, StandardCharsets.UTF_8);
    if (process.exitValue() != 0 || !succeeded) {
      throw new IllegalStateException(name + " failed, exit " + process.exitValue() + ":\n" + errors);
    }
    Matcher connection = FIRST_CONNECTION.matcher(errors);
    return new Sample(wall, cpu, connection.find() ? Long.parseLong(connection.group(1)) : -1);
  }

  /** User and system CPU time of every child this process has waited for (fields 16 and 17). */
  private static long childrenCpuMillis() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields[0] is field 3 (state), so field n is fields[n - 3]
    return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * MILLIS_PER_TICK;
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private static String loadAverage() throws IOException {
    String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return parts[0] + " " + parts[1] + " " + parts[2];
  }
}
