package io.migrationgate.localcluster.planload;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The load test of the default path (bench/plan-load.sh, docs/benchmarks.md). Options:
 * {@code --requests 200}, {@code --databases 10}, {@code --namespaces 4}, {@code --parallel 8}
 * (kubectl processes creating and approving at once), {@code --seed <n>} (the order of creates and
 * approvals; printed first), {@code --timeout-s 1800} (for each wait: all planned, all finished),
 * {@code --repo <checkout>}, {@code --jar <operator jar>}. Exits 1 when a request failed, run Jobs
 * overlapped on a database, a request did not succeed, or plan Jobs exceeded the chart's limits;
 * 2 on bad options. The work dir with every log is kept.
 */
public final class PlanLoad {

  private static final List<String> OPTIONS = List.of("--requests", "--databases", "--namespaces", "--parallel",
      "--seed", "--timeout-s", "--repo", "--jar");

  private PlanLoad() {}

  public static void main(String[] args) throws Exception {
    PlanLoadRun.Settings settings;
    try {
      settings = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("plan load: " + e.getMessage());
      System.err.println("usage: bench/plan-load.sh " + String.join(" ", OPTIONS.stream().map(o -> "[" + o + " <value>]")
          .toList()));
      System.exit(2);
      return;
    }
    PlanLoadReport report = PlanLoadRun.run(settings, System.out);
    System.out.println("logs: " + settings.workDir().resolve("logs") + " (kept)");
    System.out.println(report.problems().isEmpty() ? "PASSED" : "FAILED: " + report.problems().size() + " problem(s)");
    System.exit(report.problems().isEmpty() ? 0 : 1);
  }

  static PlanLoadRun.Settings parse(String[] args) throws java.io.IOException {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!OPTIONS.contains(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i]);
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      options.put(args[i], args[++i]);
    }
    Path repo = Path.of(options.getOrDefault("--repo", ".")).toAbsolutePath().normalize();
    long seed = options.containsKey("--seed") ? Long.parseLong(options.get("--seed")) : new SecureRandom().nextLong();
    return new PlanLoadRun.Settings(positive(options, "--requests", 200), positive(options, "--databases", 10),
        positive(options, "--namespaces", 4), positive(options, "--parallel", 8), seed,
        Duration.ofSeconds(positive(options, "--timeout-s", 1800)), Files.createTempDirectory("mg-plan-load-"),
        Path.of(options.getOrDefault("--jar", repo.resolve("operator/target/migration-gate.jar").toString()))
            .toAbsolutePath().normalize(),
        repo.resolve("helm/migration-gate"), System.getProperty("java.class.path"));
  }

  private static int positive(Map<String, String> options, String option, int otherwise) {
    String value = options.get(option);
    if (value == null) {
      return otherwise;
    }
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
}
