package io.migrationgate.runner;

import io.migrationgate.runner.RunnerMain.Program;
import java.io.PrintStream;
import java.util.Map;

/**
 * The {@code check} program of a MigrationTarget's check Job: the run's command line without
 * scripts; it connects read-only with the target's credentials and reports whether that worked, in
 * the credential-safe words of {@link ConnectionFailures}. Exit 0, 11 (cannot connect) or 16 (login
 * refused), as the other programs.
 */
public final class CheckMain {

  private CheckMain() {}

  public static void main(String[] args) {
    RunnerMain.start(Program.CHECK, args);
  }

  /** Checks once and returns the process exit code; never calls System.exit, so tests can call it. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return RunnerMain.run(Program.CHECK, args, env, out, err);
  }
}
