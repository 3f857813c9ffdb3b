package io.migrationgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.RunReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the runner does with its arguments besides parsing them (contract's RunnerCommandTest):
 * credentials from the environment only, and a report with exit code 2 when they are unusable.
 */
class RunnerArgumentsTest {

  private static final String URL = "jdbc:postgresql://db:5432/orders";

  @Test
  void takesCredentialsFromTheEnvironmentOnly() throws Exception {
    DatabaseCredentials credentials =
        DatabaseCredentials.fromEnvironment(Map.of("MG_DB_USERNAME", "migrator", "MG_DB_PASSWORD", "pw"));

    assertThat(credentials.username()).contains("migrator");
    assertThat(credentials.password()).contains("pw");
    assertThat(credentials.toString()).doesNotContain("pw").doesNotContain("migrator")
        .contains("username=<set>", "password=<set>");
  }

  @Test
  void aRefusedPasswordEndsTheRunWithExitTwoAndABadArgumentsReport(@TempDir Path temp)
      throws Exception {
    Path reportFile = temp.resolve("termination-log");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exitCode =
        RunnerMain.run(
            new String[] {"--scripts=/m", "--url=" + URL, "--password=hunter2", "--report-file=" + reportFile},
            new HashMap<>(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(exitCode).isEqualTo(2);
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertThat(stderr.lines()).containsExactly(
        "bad arguments: --password is refused: command lines are visible to anyone who can read the"
            + " Pod; set MG_DB_USERNAME and MG_DB_PASSWORD from a Secret instead");
    RunReport report = RunReport.parse(Files.readString(reportFile));
    assertThat(report.outcome()).isEqualTo(Outcome.BAD_ARGUMENTS);
    assertThat(report.exitCode()).isEqualTo(2);
    assertThat(report.message()).isEqualTo(stderr.strip());
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith(RunReport.STDOUT_MARKER).doesNotContain("hunter2");
  }

  @Test
  void aScriptsDirectoryThatDoesNotExistIsABadArgument(@TempDir Path temp) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exitCode =
        RunnerMain.run(
            new String[] {"--scripts=" + temp.resolve("missing"), "--url=" + URL, "--report-file=-"},
            new HashMap<>(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    assertThat(exitCode).isEqualTo(2);
    RunReport report = RunReport.fromStdoutLine(out.toString(StandardCharsets.UTF_8).strip()).orElseThrow();
    assertThat(report.message()).contains("is not a directory");
  }

}
