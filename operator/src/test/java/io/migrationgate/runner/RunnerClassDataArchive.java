package io.migrationgate.runner;

import io.migrationgate.contract.RunReport;
import io.migrationgate.contract.RunnerJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Builds the class-data archive of the runner's programs at {@code package} time (operator/pom.xml):
 * runs the shaded jar the way a Job does, a plan of an empty database, a run with placeholders and
 * a verify query, and a plan with a new pending script of several kinds of statement (which the
 * plan's review parses), against an embedded PostgreSQL with a scram
 * password, and records every class each loads ({@code -XX:DumpLoadedClassList}). Writes
 *
 * <ul>
 *   <li>{@code migration-gate.classlist}: those classes, in first-loaded order; the Dockerfile dumps
 *       the image's archive from it with the image's own JVM (an archive only maps into the JVM
 *       build that wrote it);
 *   <li>{@code migration-gate.jsa}: the archive for the JVM running this build, which the local
 *       cluster's process kubelet gives the runner's Jobs in place of the image's.
 * </ul>
 *
 * Fails the build when a program does not succeed or the Job's JVM options cannot map the archive.
 * Test scope (it needs the embedded server), never shipped.
 *
 * <p>Arguments: the shaded jar.
 */
public final class RunnerClassDataArchive {

  private static final long PROGRAM_TIMEOUT_SECONDS = 120;

  private RunnerClassDataArchive() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]).toAbsolutePath().normalize();
    Path classList = jar.resolveSibling("migration-gate.classlist");
    Path archive = jar.resolveSibling("migration-gate.jsa");
    Path work = Files.createTempDirectory("mg-class-data");
    List<Path> lists = new ArrayList<>();
    try (EmbeddedPostgresDatabase postgres = EmbeddedPostgresDatabase.start()) {
      String url = postgres.newDatabaseUrl();
      Map<String, String> credentials = postgres.migratorCredentials();
      Path scripts = Files.createDirectory(work.resolve("scripts"));
      Files.writeString(scripts.resolve("V1__create_orders.sql"),
          "create table orders (id bigint primary key, status varchar(20) default '${default_status}');\n");
      Files.writeString(scripts.resolve("V2__seed_orders.sql"), "insert into orders (id) values (1);\n");

      lists.add(train(jar, work, "plan-empty", credentials, "plan", "--scripts=" + scripts, "--url=" + url));
      lists.add(train(jar, work, "run", credentials, "run", "--scripts=" + scripts, "--url=" + url,
          "--placeholders={\"default_status\":\"new\"}",
          "--verify=[{\"name\":\"one order\",\"sql\":\"select count(*) from orders\",\"expect\":\"1\"}]"));
      // only planned, never run: a mix of statements, so the review's parser classes are archived too
      Files.writeString(scripts.resolve("V3__add_total.sql"), "set lock_timeout = '5s';\n"
          + "alter table orders add column total numeric(10,2) default 0 not null;\n"
          + "create index concurrently orders_total on orders (total);\n"
          + "create table order_notes (id bigint primary key, order_id bigint references orders (id), body text);\n"
          + "insert into order_notes (id, order_id, body) select id, id, 'x' from orders where id < 10;\n"
          + "update orders set total = 0 where total is null;\n"
          + "delete from order_notes where body = '';\n"
          + "drop table if exists orders_old;\n");
      lists.add(train(jar, work, "plan-pending", credentials, "plan", "--scripts=" + scripts, "--url=" + url));
    }

    Set<String> classes = new LinkedHashSet<>();
    for (Path list : lists) {
      classes.addAll(Files.readAllLines(list, StandardCharsets.UTF_8));
    }
    Files.write(classList, classes, StandardCharsets.UTF_8);
    Files.deleteIfExists(archive);
    java(work.resolve("dump.log"), Map.of(), List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList,
        "-XX:SharedArchiveFile=" + archive, "-cp", jar.toString()));
    // -Xshare:on refuses to start instead of quietly loading from the jar, so a Job's options that
    // could not map this archive stop the build here.
    List<String> check = new ArrayList<>(jobOptions(archive));
    check.addAll(List.of("-Xshare:on", "-jar", jar.toString(), "plan", "--help"));
    java(work.resolve("check.log"), Map.of(), check);
    System.out.println("class-data archive: " + classes.size() + " classes from " + lists.size()
        + " programs, " + classList + ", " + archive + " (" + Files.size(archive) / (1024 * 1024) + " MiB)");
  }

  /** Runs one program as a Job would and returns the classes it loaded; its report must say SUCCEEDED. */
  private static Path train(Path jar, Path work, String name, Map<String, String> env, String... program)
      throws IOException, InterruptedException {
    Path list = work.resolve(name + ".classlist");
    List<String> command = new ArrayList<>(jobOptions(null));
    command.add("-XX:DumpLoadedClassList=" + list);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(program));
    command.add("--report-file=");
    String stdout = java(work.resolve(name + ".log"), env, command);
    boolean succeeded = stdout.lines().map(RunReport::fromStdoutLine).flatMap(Optional::stream)
        .anyMatch(report -> report.outcome().succeeded());
    if (!succeeded) {
      throw new IllegalStateException(name + " did not succeed; its output: " + stdout);
    }
    return list;
  }

  /** The Job's JVM options with its archive replaced: none while training, else this build's. */
  private static List<String> jobOptions(Path archive) {
    List<String> options = new ArrayList<>();
    for (String option : RunnerJvm.OPTIONS) {
      if (!option.startsWith("-XX:SharedArchiveFile=")) {
        options.add(option);
      } else if (archive != null) {
        options.add("-XX:SharedArchiveFile=" + archive);
      }
    }
    return options;
  }

  /** Runs this build's java with {@code args}; returns stdout, or throws with the output on failure. */
  private static String java(Path log, Map<String, String> env, List<String> args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // The runner reads MG_* and the JVM JAVA_TOOL_OPTIONS: none of this build's may change what is trained.
    builder.environment().keySet().removeIf(name -> name.startsWith("MG_") || name.equals("JAVA_TOOL_OPTIONS"));
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(PROGRAM_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("timed out: " + command);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IllegalStateException("exit " + process.exitValue() + " from " + command + ":\n" + output);
    }
    return output;
  }
}
