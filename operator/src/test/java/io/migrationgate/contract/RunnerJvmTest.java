package io.migrationgate.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RunnerJvmTest {

  @Test
  void theCommandIsJavaItsOptionsTheJarAndTheProgram() {
    assertThat(RunnerJvm.command("plan")).startsWith("java").endsWith("-jar", "/app/migration-gate.jar", "plan")
        .containsSubsequence(RunnerJvm.OPTIONS).hasSize(RunnerJvm.OPTIONS.size() + 4);
    assertThat(RunnerJvm.OPTIONS).contains("-XX:SharedArchiveFile=/app/migration-gate.jsa", "-Djava.io.tmpdir=/tmp");
  }

  /** The policy keeps a stolen operator token from running anything else, so it must pin exactly these three. */
  @Test
  void theChartsRunnerJobPolicyPinsExactlyTheRunPlanAndCheckCommands() throws Exception {
    String policy = Files.readString(Path.of("..", "helm", "migration-gate", "templates", "admission-policies.yaml"));

    assertThat(policy).contains("variables.pod.containers[0].?command.orValue([]) in ["
        + cel(RunnerJvm.command("run")) + ", " + cel(RunnerJvm.command("plan")) + ", "
        + cel(RunnerJvm.command("check")) + "]");
  }

  /** The arguments the policy admits are the runner's options, all of them and only them. */
  @Test
  void theChartsRunnerJobPolicyAdmitsExactlyTheRunnersOptionsAsArguments() throws Exception {
    String policy = Files.readString(Path.of("..", "helm", "migration-gate", "templates", "admission-policies.yaml"));

    assertThat(policy).contains(".all(a, a.matches('^--(" + String.join("|", RunnerOptions.ALL) + ")=.*$'))");
  }

  private static String cel(List<String> list) {
    return list.stream().map(item -> "'" + item + "'").collect(Collectors.joining(", ", "[", "]"));
  }
}
