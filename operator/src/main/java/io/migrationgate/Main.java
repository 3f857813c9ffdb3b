package io.migrationgate;

import io.migrationgate.operator.OperatorMain;
import io.migrationgate.runner.RunnerMain;
import java.util.Arrays;

/**
 * One jar, two programs: the operator (the default), and the runner its Jobs execute. The runner
 * is dispatched to before anything initializes logging, because it selects its own logging
 * configuration (its stdout is reserved for the report line).
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "operator" : args[0];
    switch (command) {
      case "run" -> RunnerMain.main(Arrays.copyOfRange(args, 1, args.length));
      case "operator" -> OperatorMain.run();
      default -> {
        System.err.println("usage: java -jar migration-gate.jar [operator | run [runner options] (run --help lists them)]");
        System.exit(2);
      }
    }
  }
}
