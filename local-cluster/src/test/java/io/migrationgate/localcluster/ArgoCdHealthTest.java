package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The health check's own test files, run as Argo CD's {@code util/lua} test runs them: every
 * {@code health_test.yaml} case through {@code health.lua}, on statuses captured by
 * {@link ArgoCdHealthIT} from real runs.
 */
class ArgoCdHealthTest {

  static final YAMLMapper YAML = new YAMLMapper();
  static final Path DIR = ChartRelease.repo().resolve(ArgoCdHealth.CUSTOMIZATION);

  record Case(String inputPath, JsonNode resource, ArgoCdHealth.Health expected) {}

  static List<Case> cases() throws IOException {
    List<Case> cases = new ArrayList<>();
    for (JsonNode test : YAML.readTree(DIR.resolve("health_test.yaml").toFile()).path("tests")) {
      String inputPath = test.path("inputPath").asText();
      JsonNode expected = test.path("healthStatus");
      cases.add(new Case(inputPath, YAML.readTree(DIR.resolve(inputPath).toFile()),
          new ArgoCdHealth.Health(expected.path("status").asText(), expected.path("message").asText())));
    }
    return cases;
  }

  static List<String> failures(ArgoCdHealth check) throws IOException {
    List<String> failures = new ArrayList<>();
    for (Case c : cases()) {
      ArgoCdHealth.Health actual = check.evaluate(c.resource());
      if (!actual.equals(c.expected())) {
        failures.add(c.inputPath() + ": expected " + c.expected() + " but the check said " + actual);
      }
    }
    return failures;
  }

  @Test
  void everyCaseOfHealthTestYamlHolds() throws IOException {
    assertThat(failures(ArgoCdHealth.committed())).isEmpty();
  }

  @Test
  void theExpectationsAreTheMappingOfEachPhaseWithTheReadyConditionsMessage() throws IOException {
    for (Case c : cases()) {
      assertThat(c.expected()).as(c.inputPath()).isEqualTo(ArgoCdHealth.expected(c.resource()));
    }
  }

  @Test
  void everyPhaseHasRealTestdataAndEveryTestdataFileIsTested() throws IOException {
    Set<String> phases = new TreeSet<>();
    Set<String> tested = new TreeSet<>();
    for (Case c : cases()) {
      phases.add(c.resource().at("/status/phase").asText("(no status)"));
      tested.add(c.inputPath());
    }
    assertThat(phases).containsAll(ArgoCdHealth.EXPECTED.keySet()).contains("(no status)");
    try (Stream<Path> files = Files.list(DIR.resolve("testdata"))) {
      assertThat(files.map(f -> "testdata/" + f.getFileName()).toList()).containsExactlyInAnyOrderElementsOf(tested);
    }
  }

  @Test
  void aCheckThatMapsAPhaseWronglyFailsTheCases() throws IOException {
    String script = Files.readString(ArgoCdHealth.committedFile());
    String waitingForAPersonReadsAsRunning = script.replace("hs.status = \"Suspended\"", "hs.status = \"Progressing\"");
    assertThat(waitingForAPersonReadsAsRunning).isNotEqualTo(script);
    assertThat(failures(new ArgoCdHealth(waitingForAPersonReadsAsRunning, "mutated health.lua")))
        .singleElement().asString().contains("suspended_awaiting_approval.yaml");
  }

  @Test
  void theEngineOpensNoStringLibraryAsADefaultArgoCdDoes() throws IOException {
    JsonNode running = cases().get(0).resource();
    ArgoCdHealth usesString = new ArgoCdHealth("return {status = string.format('%s', 'Healthy')}", "string.lua");
    assertThatThrownBy(() -> usesString.evaluate(running)).hasMessageContaining("string");
  }

  @Test
  void theArgocdCmSnippetAndTheHelmValuesCarryHealthLuaVerbatim() throws IOException {
    String script = Files.readString(ArgoCdHealth.committedFile());
    Path argocd = DIR.getParent().getParent();
    JsonNode cm = YAML.readTree(argocd.resolve("argocd-cm.yaml").toFile());
    assertThat(cm.at("/metadata/name").asText()).isEqualTo("argocd-cm");
    assertThat(cm.path("data").path(ArgoCdHealth.CM_KEY).asText()).isEqualTo(script);
    JsonNode values = YAML.readTree(argocd.resolve("argo-cd-values.yaml").toFile());
    assertThat(values.path("configs").path("cm").path(ArgoCdHealth.CM_KEY).asText()).isEqualTo(script);
  }
}
