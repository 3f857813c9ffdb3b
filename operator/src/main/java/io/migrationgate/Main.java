package io.migrationgate;

import io.migrationgate.runner.RunnerMain;
import java.util.Arrays;

/**
 * The one entry point of the image: {@code run} starts the migration runner inside a Job. The
 * runner must be dispatched to before anything else initializes logging, because it selects its
 * own logging configuration (stdout is reserved for its report line).
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("run")) {
      RunnerMain.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    System.err.println("usage: java -jar migration-gate.jar run [runner options]  (run --help for them)");
    System.exit(2);
  }
}
