package io.migrationgate;

import io.migrationgate.operator.runtime.OperatorMain;
import io.migrationgate.runner.CheckMain;
import io.migrationgate.runner.PlanMain;
import io.migrationgate.runner.RunnerMain;
import java.util.Arrays;

/**
 * One jar, four programs: the operator (the default), and the three its Jobs execute, the runner
 * ({@code run}), the read-only plan before approval ({@code plan}) and a MigrationTarget's
 * read-only connection check ({@code check}). Those three are dispatched to
 * before anything initializes logging, because they select their own logging configuration (their
 * stdout is reserved for the report line).
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "operator" : args[0];
    switch (command) {
      case "run" -> RunnerMain.main(Arrays.copyOfRange(args, 1, args.length));
      case "plan" -> PlanMain.main(Arrays.copyOfRange(args, 1, args.length));
      case "check" -> CheckMain.main(Arrays.copyOfRange(args, 1, args.length));
      case "operator" -> OperatorMain.run();
      default -> {
        System.err.println("usage: java -jar migration-gate.jar [operator | run [runner options] | plan [runner options] | check [runner options]] (run --help lists the options)");
        System.exit(2);
      }
    }
  }
}
