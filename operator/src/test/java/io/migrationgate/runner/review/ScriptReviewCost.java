package io.migrationgate.runner.review;

import com.sun.management.OperatingSystemMXBean;
import io.migrationgate.contract.RunnerJvm;
import io.migrationgate.runner.review.ScriptReview.Script;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * What the plan's review of the scripts costs on its own (docs/benchmarks.md, "The script review's
 * cost"): each sample is a new JVM with the Job's JVM options (its class-data archive left out: the
 * archive belongs to the shaded jar's class path, not to this one), which first configures Flyway, as
 * the plan has done by the time it reviews, then reviews a script of ten statements once (the
 * parser's classes are loaded then) and twenty times more. Prints the medians of the process CPU
 * time of each step and the classes the first review loaded. A benchmark, not a test; test scope.
 *
 * <p>Arguments: the number of JVMs (default 9).
 */
public final class ScriptReviewCost {

  static final String SCRIPT = "set lock_timeout = '5s';\n"
      + "alter table orders add column total numeric(10,2) default 0 not null;\n"
      + "create index concurrently orders_total on orders (total);\n"
      + "create table order_notes (id bigint primary key, order_id bigint references orders (id), body text);\n"
      + "insert into order_notes (id, order_id, body) select id, id, 'x' from orders where id < 10;\n"
      + "update orders set total = 0 where total is null;\n"
      + "alter table orders alter column status set not null;\n"
      + "delete from order_notes where body = '';\n"
      + "-- migration-gate:allow drop-table replaced by order_notes in V7\n"
      + "drop table if exists orders_old;\n"
      + "create unique index orders_email on orders (email);\n";

  private ScriptReviewCost() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child();
      return;
    }
    int jvms = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    List<long[]> samples = new ArrayList<>();
    for (int i = 0; i < jvms; i++) {
      samples.add(sample());
    }
    String[] names = {"configure Flyway (ms CPU)", "first review (ms CPU)", "20 more reviews (ms CPU)",
        "classes loaded by the first review"};
    for (int column = 0; column < names.length; column++) {
      final int c = column;
      long[] values = samples.stream().mapToLong(s -> s[c]).sorted().toArray();
      System.out.println(names[column] + ": median " + values[values.length / 2] + " (min " + values[0] + ", max "
          + values[values.length - 1] + ")");
    }
  }

  private static long[] sample() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    RunnerJvm.OPTIONS.stream().filter(o -> !o.startsWith("-XX:SharedArchiveFile=")).forEach(command::add);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScriptReviewCost.class.getName(), "child"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("the child failed: " + out);
    }
    String last = out.lines().reduce((a, b) -> b).orElseThrow();
    return Arrays.stream(last.split(" ")).mapToLong(Long::parseLong).toArray();
  }

  /** Prints "configure first more classes" on its last line. */
  private static void child() {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var classes = ManagementFactory.getClassLoadingMXBean();
    long start = os.getProcessCpuTime();
    new FluentConfiguration(ScriptReviewCost.class.getClassLoader()).placeholders(Map.of("a", "b"));
    long configured = os.getProcessCpuTime();
    long classesBefore = classes.getTotalLoadedClassCount();
    List<Script> scripts = List.of(new Script("V3__change.sql", SCRIPT, Optional.empty()));
    ScriptReview.Review first = ScriptReview.review(Dialect.POSTGRESQL, scripts, Map.of());
    long reviewed = os.getProcessCpuTime();
    long classesAfter = classes.getTotalLoadedClassCount();
    for (int i = 0; i < 20; i++) {
      ScriptReview.review(Dialect.POSTGRESQL, scripts, Map.of());
    }
    long more = os.getProcessCpuTime();
    if (first.findings().isEmpty()) {
      throw new IllegalStateException("the review found nothing in a script built to have findings");
    }
    System.out.println((configured - start) / 1_000_000 + " " + (reviewed - configured) / 1_000_000 + " "
        + (more - reviewed) / 1_000_000 + " " + (classesAfter - classesBefore));
  }
}
