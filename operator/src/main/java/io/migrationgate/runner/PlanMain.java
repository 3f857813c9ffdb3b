package io.migrationgate.runner;

import io.migrationgate.runner.RunnerMain.Program;
import java.io.PrintStream;
import java.util.Map;

/**
 * The {@code plan} program: the same command line as {@code run}, but it only reads. It checks
 * the scripts digest, connects read-only with the run's credentials and reports what Flyway sees:
 * the history, the pending scripts, what validation finds and the planned state an approval is
 * bound to. A plan with findings still succeeds (exit 0): the findings are the plan's content,
 * and the operator decides what they mean for the request.
 */
public final class PlanMain {

  private PlanMain() {}

  public static void main(String[] args) {
    RunnerMain.start(Program.PLAN, args);
  }

  /** Plans once and returns the process exit code; never calls System.exit, so tests can call it. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return RunnerMain.run(Program.PLAN, args, env, out, err);
  }
}
