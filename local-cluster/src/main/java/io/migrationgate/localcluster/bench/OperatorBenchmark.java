package io.migrationgate.localcluster.bench;

import io.migrationgate.localcluster.ControlPlane;
import io.migrationgate.localcluster.KubeBinaries;
import io.migrationgate.localcluster.Kubectl;
import io.migrationgate.localcluster.LocalCluster;
import io.migrationgate.localcluster.LocalUser;
import io.migrationgate.localcluster.OperatorProcess;
import io.migrationgate.localcluster.Processes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operator benchmark (bench/operator-benchmark.sh, docs/benchmarks.md): the operator and a
 * minimal controller side by side on one local control plane without a kubelet, for each N. Prints
 * a table per round and one summary line per figure; exits 1 when a figure could not be measured,
 * 2 on bad options.
 */
public final class OperatorBenchmark {

  /**
   * {@code classpath}: what the minimal controller's JVM runs with (this module's classes and
   * fabric8). {@code jvm}: the image's JVM flags and the chart's memory limit.
   */
  public record Settings(List<Integer> requests, int approvals, int idleSeconds, int rounds, Path jar, Path repo,
      Path workDir, String classpath, ImageJvm jvm) {}

  private OperatorBenchmark() {}

  public static void main(String[] args) throws Exception {
    Settings settings;
    try {
      settings = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("operator benchmark: " + e.getMessage());
      System.err.println("usage: bench/operator-benchmark.sh [--requests 1000[,10000]]... [--approvals 200]"
          + " [--idle-seconds 300] [--rounds 1] [--jar operator/target/migration-gate.jar] [--repo .]");
      System.exit(2);
      return;
    }
    try {
      List<RoundResult> results = run(settings, System.out);
      System.out.println("logs: " + settings.workDir().resolve("logs") + " (kept)");
      System.exit(problems(results).isEmpty() ? 0 : 1);
    } catch (BenchmarkFailure e) {
      System.out.println("NOT MEASURED: " + e.getMessage());
      System.out.println("logs: " + settings.workDir().resolve("logs") + " (kept)");
      System.exit(1);
    }
  }

  static Settings parse(String[] args) {
    List<Integer> requests = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (!List.of("--requests", "--approvals", "--idle-seconds", "--rounds", "--jar", "--repo").contains(option)) {
        throw new IllegalArgumentException("unknown option " + option);
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args[++i];
      if (option.equals("--requests")) {
        for (String part : value.split(",")) {
          requests.add(positive(option, part.strip()));
        }
      } else {
        options.put(option, value);
      }
    }
    if (requests.isEmpty()) {
      requests.add(1000);
    }
    int approvals = positive("--approvals", options.getOrDefault("--approvals", "200"));
    int smallest = requests.stream().mapToInt(Integer::intValue).min().orElseThrow();
    if (approvals > smallest) {
      throw new IllegalArgumentException("--approvals " + approvals + " is more than the smallest --requests "
          + smallest + ": each approval needs a request of its own; lower --approvals or raise --requests");
    }
    Path repo = Path.of(options.getOrDefault("--repo", ".")).toAbsolutePath().normalize();
    Path jar = Path.of(options.getOrDefault("--jar", repo.resolve("operator/target/migration-gate.jar").toString()))
        .toAbsolutePath().normalize();
    try {
      return new Settings(List.copyOf(requests), approvals, positive("--idle-seconds",
          options.getOrDefault("--idle-seconds", "300")), positive("--rounds", options.getOrDefault("--rounds", "1")),
          jar, repo, Files.createTempDirectory("mg-bench-"), System.getProperty("java.class.path"),
          ImageJvm.of(repo));
    } catch (IOException e) {
      throw new IllegalStateException("no temp dir for the run: " + e.getMessage(), e);
    }
  }

  private static int positive(String option, String value) {
    try {
      int parsed = Integer.parseInt(value);
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the option's name
    }
    throw new IllegalArgumentException(option + " must be a positive whole number, not \"" + value + "\"");
  }

  /** Runs every round of every N on one control plane; prints each round's table and the summary. */
  public static List<RoundResult> run(Settings settings, PrintStream out) throws IOException, InterruptedException {
    OperatorProcess.requireJar(settings.jar());
    KubeBinaries binaries = KubeBinaries.locate(System.getenv());
    out.printf("operator benchmark: N=%s, %d approvals, %d s idle, %d round(s); jar %s%n", settings.requests(),
        settings.approvals(), settings.idleSeconds(), settings.rounds(), settings.jar());
    out.printf("JVM of both controllers (Dockerfile ENTRYPOINT, chart limit %s): %s%n", settings.jvm().memoryLimit(),
        String.join(" ", settings.jvm().flags()));
    out.printf("machine: %d CPUs, %s, load %s%n", Runtime.getRuntime().availableProcessors(), memTotal(),
        Processes.loadAverage());
    List<RoundResult> results = new ArrayList<>();
    try (ControlPlane plane = ControlPlane.start(binaries, settings.workDir().resolve("control-plane"))) {
      Kubectl admin = new Kubectl(binaries.kubectl(), plane.kubeconfig(LocalUser.ADMIN));
      Kubectl.Result applied = admin.run("apply", "--server-side", "-f", settings.repo().resolve("crds").toString());
      if (!applied.ok()) {
        throw new BenchmarkFailure("the CRD did not install: " + applied);
      }
      LocalCluster.awaitCrdServed(admin);
      for (int n : settings.requests()) {
        for (int round = 1; round <= settings.rounds(); round++) {
          RoundResult result = new BenchmarkRound(plane, settings, n, round, out).run();
          results.add(result);
          result.table().forEach(out::println);
        }
      }
    }
    summary(results).forEach(out::println);
    problems(results).forEach(p -> out.println("NOT MEASURED: " + p));
    return results;
  }

  /** What a round did not reach: requests short of AwaitingApproval, Jobs not one per approval. */
  public static List<String> problems(List<RoundResult> results) {
    List<String> problems = new ArrayList<>();
    for (RoundResult r : results) {
      if (r.awaitingOperator() != r.n() || r.awaitingMinimal() != r.n()) {
        problems.add("N=" + r.n() + " round " + r.round() + ": AwaitingApproval operator " + r.awaitingOperator()
            + ", minimal " + r.awaitingMinimal() + " of " + r.n());
      }
      if (r.jobsOperator() != r.approvals() || r.jobsMinimal() != r.approvals()) {
        problems.add("N=" + r.n() + " round " + r.round() + ": Jobs operator " + r.jobsOperator() + ", minimal "
            + r.jobsMinimal() + " for " + r.approvals() + " approvals");
      }
    }
    return problems;
  }

  /** One line per figure and N: the spread over rounds (min-max, median) of both and of the ratio. */
  static List<String> summary(List<RoundResult> results) {
    Map<String, List<Figure>> byFigure = new LinkedHashMap<>();
    for (RoundResult r : results) {
      for (Figure f : r.figures()) {
        byFigure.computeIfAbsent("N=" + r.n() + " " + f.what(), k -> new ArrayList<>()).add(f);
      }
    }
    List<String> lines = new ArrayList<>();
    byFigure.forEach((key, figures) -> {
      Figure first = figures.get(0);
      StringBuilder line = new StringBuilder("summary " + key + ": " + (first.minimal().isPresent() ? "operator " : "")
          + spread(first.unit(), figures.stream().mapToDouble(Figure::operator).toArray()));
      if (first.minimal().isPresent()) {
        line.append(" | minimal ").append(spread(first.unit(),
            figures.stream().mapToDouble(f -> f.minimal().orElse(Double.NaN)).toArray()));
      }
      double[] ratios = figures.stream().filter(f -> f.ratio().isPresent()).mapToDouble(f -> f.ratio().getAsDouble())
          .toArray();
      if (ratios.length > 0) {
        line.append(" | op/min ").append(spread(null, ratios));
      }
      line.append(" | load ").append(String.join(", ", figures.stream().map(Figure::load).toList()));
      lines.add(line.toString());
    });
    return lines;
  }

  private static String spread(Figure.Unit unit, double[] values) {
    DoubleSummaryStatistics stats = java.util.Arrays.stream(values).summaryStatistics();
    double median = BenchmarkRound.percentile(values, 50);
    java.util.function.DoubleFunction<String> format = unit == null
        ? v -> String.format(Locale.ROOT, "%.2f", v) : unit::format;
    return values.length == 1 ? format.apply(values[0])
        : format.apply(stats.getMin()) + " - " + format.apply(stats.getMax()) + " (median " + format.apply(median)
            + ")";
  }

  private static String memTotal() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
    } catch (IOException e) {
      return "MemTotal unknown";
    }
  }
}
