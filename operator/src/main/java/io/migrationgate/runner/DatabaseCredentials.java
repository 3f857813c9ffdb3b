package io.migrationgate.runner;

import io.migrationgate.contract.RunnerCommand;
import java.util.Map;
import java.util.Optional;

/**
 * The migrator's user name and password, from the environment only (the Job fills both from the
 * request's Secret); never part of the command, whose argv anyone who can read the Pod sees.
 */
record DatabaseCredentials(Optional<String> username, Optional<String> password) {

  static DatabaseCredentials fromEnvironment(Map<String, String> env) {
    return new DatabaseCredentials(
        Optional.ofNullable(env.get(RunnerCommand.USERNAME_ENV)).filter(u -> !u.isBlank()),
        Optional.ofNullable(env.get(RunnerCommand.PASSWORD_ENV)).filter(p -> !p.isEmpty()));
  }

  /** Neither value: a Secret's keys mixed up put the password in the user name. */
  @Override
  public String toString() {
    return "DatabaseCredentials[username=" + (username.isPresent() ? "<set>" : "<none>")
        + ", password=" + (password.isPresent() ? "<set>" : "<none>") + "]";
  }
}
