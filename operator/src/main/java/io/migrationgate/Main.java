package io.migrationgate;

import io.migrationgate.operator.OperatorMain;
import java.util.Arrays;

/** One jar, two programs: the operator, and the runner its Jobs execute. */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "operator" : args[0];
    switch (command) {
      case "operator" -> OperatorMain.run();
      case "run" -> System.exit(runRunner(Arrays.copyOfRange(args, 1, args.length)));
      default -> {
        System.err.println("usage: java -jar migration-gate.jar [operator | run --help]");
        System.exit(2);
      }
    }
  }

  private static int runRunner(String[] args) throws Exception {
    // Resolved by name so this commit builds before the runner lands; see io.migrationgate.runner.
    Class<?> runner = Class.forName("io.migrationgate.runner.RunnerMain");
    return (int) runner.getMethod("run", String[].class, java.util.Map.class,
            java.io.PrintStream.class, java.io.PrintStream.class)
        .invoke(null, args, System.getenv(), System.out, System.err);
  }
}
