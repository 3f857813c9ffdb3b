package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl migrationgate}'s argument handling, without a cluster: a mistake is named with the
 * command's help, before kubectl is looked for (KubectlPluginIT runs it on a cluster). And the krew
 * manifest installs this very script.
 */
class KubectlPluginArgumentsTest {

  static final Path PLUGIN_DIR = ChartRelease.repo().resolve("kubectl-plugin");
  static final Path SCRIPT = PLUGIN_DIR.resolve("kubectl-migrationgate");

  record Run(int exitCode, String out, String err) {}

  /** The script run by bash with the standard tools it uses on the PATH, and no kubectl. */
  static Run run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(bash(), SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectInput(Path.of("/dev/null").toFile());
    builder.environment().put("PATH", toolsWithoutKubectl().toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.waitFor(), out, err);
  }

  private static Path tools;

  static synchronized Path toolsWithoutKubectl() throws IOException {
    if (tools == null) {
      tools = Files.createTempDirectory("mg-plugin-tools-");
      tools.toFile().deleteOnExit();
      for (String tool : List.of("cat", "tr", "mktemp", "rm", "awk")) {
        Path found = findOnPath(tool);
        Path link = Files.createSymbolicLink(tools.resolve(tool), found);
        link.toFile().deleteOnExit();
      }
    }
    return tools;
  }

  static Path findOnPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, tool);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(tool + " is not on the PATH: install it to test " + SCRIPT);
  }

  static String bash() {
    return findOnPath("bash").toString();
  }

  @Test
  void anUnknownCommandIsNamedWithTheCommandsThereAre() throws Exception {
    Run run = run("aprove", "orders");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("unknown command \"aprove\"; commands: plan, approve, reject, status, logs, evidence, history",
        "Run \"kubectl migrationgate --help\" for usage.");
  }

  @Test
  void noCommandPrintsTheUsage() throws Exception {
    Run run = run();
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Usage: kubectl migrationgate COMMAND [NAME] [flags]");
  }

  @Test
  void aCommandWithoutItsRequestNameSaysHowToGiveIt() throws Exception {
    for (String command : List.of("plan", "approve", "logs", "evidence")) {
      Run run = run(command, "-n", "shop");
      assertThat(run.exitCode()).as(command).isEqualTo(2);
      assertThat(run.err()).contains(command + " needs the request's NAME: kubectl migrationgate " + command
          + " NAME [-n NAMESPACE]", "Run \"kubectl migrationgate " + command + " --help\"");
    }
  }

  @Test
  void flagsOfAnotherCommandOrNoneAreRefused() throws Exception {
    assertThat(run("approve", "orders", "--follow").err()).contains("--follow is not a flag of \"approve\"");
    assertThat(run("plan", "orders", "--yes").err()).contains("--yes is not a flag of \"plan\"");
    assertThat(run("status", "orders", "--show-scripts").err()).contains("--show-scripts is not a flag of \"status\"");
    assertThat(run("plan", "orders", "--force").err()).contains("unknown flag --force");
    assertThat(run("plan", "orders", "-n").err()).contains("-n needs a value");
    assertThat(run("plan", "orders", "other").err()).contains("one request at a time: got \"orders\" and \"other\"");
    assertThat(run("reject", "orders", "--yes").err()).contains("reject needs --reason TEXT");
    assertThat(run("reject", "orders", "--reason", " ").exitCode()).isEqualTo(2);
    assertThat(run("plan", "orders", "--keys", "migration-gate/keys").err()).contains("--keys is not a flag of \"plan\"");
    assertThat(run("evidence", "orders", "--public-key", "key.pem").err())
        .contains("--public-key is not a flag of \"evidence\"");
    assertThat(run("history", "--keys").err()).contains("--keys needs a value");
  }

  @Test
  void everyCommandHasItsHelp() throws Exception {
    for (String command : List.of("plan", "approve", "reject", "status", "logs", "evidence", "history")) {
      Run run = run(command, "--help");
      assertThat(run.exitCode()).as(command).isZero();
      assertThat(run.out()).as(command).contains("Usage: kubectl migrationgate " + command);
    }
    assertThat(run("approve", "-h").out()).contains("field manager \"migration-gate-approver\"");
  }

  @Test
  void withoutKubectlItSaysWhatToInstall() throws Exception {
    Run run = run("plan", "orders");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("kubectl is not on the PATH: install kubectl");
  }

  @Test
  void theKrewManifestInstallsThisScript() throws IOException {
    Path manifest = PLUGIN_DIR.resolve("krew/migrationgate.yaml");
    JsonNode plugin = new ObjectMapper(new YAMLFactory()).readTree(manifest.toFile());
    assertThat(plugin.path("apiVersion").asText()).isEqualTo("krew.googlecontainertools.github.com/v1alpha2");
    assertThat(plugin.path("kind").asText()).isEqualTo("Plugin");
    // krew requires the manifest's file name to be the plugin's name
    assertThat(plugin.at("/metadata/name").asText() + ".yaml").isEqualTo(manifest.getFileName().toString());
    assertThat(plugin.at("/spec/version").asText()).matches("v\\d+\\.\\d+\\.\\d+");
    JsonNode platform = plugin.at("/spec/platforms/0");
    assertThat(platform.path("bin").asText()).isEqualTo(SCRIPT.getFileName().toString());
    assertThat(platform.at("/files/0/from").asText()).isEqualTo(SCRIPT.getFileName().toString());
    // the krew index refuses a plugin whose archive does not install its licence
    assertThat(platform.at("/files/1/from").asText()).isEqualTo("LICENSE");
    assertThat(PLUGIN_DIR.resolve("../LICENSE")).content().contains("Apache License", "Version 2.0");
    assertThat(platform.path("sha256").asText()).matches("[0-9a-f]{64}");
    assertThat(Files.isExecutable(SCRIPT)).as("%s is executable", SCRIPT).isTrue();
  }
}
