package io.migrationgate.localcluster.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The long fault-injection run (bench/fault-injection.sh). Options: {@code --requests 200},
 * {@code --wave-size 20}, {@code --seed <n>} (replays a run's plan; printed first), {@code
 * --launch-pause-ms 1000}, {@code --settle-timeout-s 600}, {@code --repo <checkout>}, {@code --jar
 * <operator jar>}. Exits 1 when a guarantee did not hold; the work dir with every log is kept.
 */
public final class FaultInjection {

  private static final Set<String> OPTIONS =
      Set.of("--requests", "--wave-size", "--seed", "--launch-pause-ms", "--settle-timeout-s", "--repo", "--jar");

  private FaultInjection() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!OPTIONS.contains(args[i]) || i + 1 == args.length) {
        System.err.println("usage: FaultInjection " + OPTIONS.stream().sorted().map(o -> "[" + o + " <value>]").toList());
        System.exit(2);
      }
      options.put(args[i], args[++i]);
    }
    Path repo = Path.of(options.getOrDefault("--repo", ".")).toAbsolutePath().normalize();
    Path workDir = Files.createTempDirectory("mg-faults-");
    FaultRun.Settings settings = new FaultRun.Settings(
        Integer.parseInt(options.getOrDefault("--requests", "200")),
        Integer.parseInt(options.getOrDefault("--wave-size", "20")),
        options.containsKey("--seed") ? Long.parseLong(options.get("--seed")) : new SecureRandom().nextLong(),
        Duration.ofMillis(Long.parseLong(options.getOrDefault("--launch-pause-ms", "1000"))),
        Duration.ofSeconds(Long.parseLong(options.getOrDefault("--settle-timeout-s", "600"))),
        workDir,
        Path.of(options.getOrDefault("--jar", repo.resolve("operator/target/migration-gate.jar").toString())),
        repo.resolve("helm/migration-gate"));
    FaultReport report = FaultRun.run(settings, System.out);
    report.lines().forEach(System.out::println);
    System.out.println("logs: " + workDir.resolve("logs") + " (kept)");
    System.exit(report.violations() == 0 ? 0 : 1);
  }
}
