package io.migrationgate.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * The command of the runner's container in every Job: the JVM, its options, the jar and the
 * program ({@code run} or {@code plan}); the {@link RunnerCommand} options follow as arguments.
 * The operator builds Jobs with it, and the chart's runner-Job admission policy pins exactly this
 * list ({@code RunnerJvmTest} reads the policy and fails when the two differ).
 *
 * <p>The options are for a JVM that lives a second or two on a fraction of a core
 * (docs/benchmarks.md, "The plan program's cost"):
 *
 * <ul>
 *   <li>{@code -XX:SharedArchiveFile}: the classes a plan and a run load, already parsed, verified
 *       and laid out, mapped from the archive the image build dumps (Dockerfile). A missing or
 *       stale archive (another JVM build, another jar) is ignored by the JVM, which then loads
 *       every class from the jar.
 *   <li>{@code -XX:TieredStopAtLevel=1}: the client compiler only; the optimizing one would compile
 *       code that runs once.
 *   <li>{@code -XX:+UseSerialGC}: no parallel collector threads and structures for a small heap.
 *   <li>{@code -XX:-UsePerfData}: no hsperfdata file to create in /tmp.
 *   <li>{@code -XX:+ExitOnOutOfMemoryError}: a broken JVM ends the pod instead of lingering.
 *   <li>{@code -Djava.io.tmpdir=/tmp}: the only writable path (an emptyDir) under the read-only
 *       root file system.
 * </ul>
 */
public final class RunnerJvm {

  public static final String JAR = "/app/migration-gate.jar";
  /** Where the image keeps the class-data archive of the runner's programs. */
  public static final String CLASS_DATA_ARCHIVE = "/app/migration-gate.jsa";

  public static final List<String> OPTIONS = List.of(
      "-XX:SharedArchiveFile=" + CLASS_DATA_ARCHIVE,
      "-XX:TieredStopAtLevel=1",
      "-XX:+UseSerialGC",
      "-XX:-UsePerfData",
      "-XX:+ExitOnOutOfMemoryError",
      "-Djava.io.tmpdir=/tmp");

  private RunnerJvm() {}

  /** {@code java}, the options, {@code -jar} with the jar, and {@code program}. */
  public static List<String> command(String program) {
    List<String> command = new ArrayList<>();
    command.add("java");
    command.addAll(OPTIONS);
    command.add("-jar");
    command.add(JAR);
    command.add(program);
    return List.copyOf(command);
  }
}
