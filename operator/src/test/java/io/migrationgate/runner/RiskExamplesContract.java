package io.migrationgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.migrationgate.contract.RunReport;
import io.migrationgate.contract.RunReport.RiskFinding;
import io.migrationgate.runner.RunnerInvocation.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * examples/risk/: each ConfigMap, planned on the database the examples' request leaves (V1 and V2
 * of examples/orders-migrations.yaml applied), gives the level its name says and the findings its
 * README shows, word for word; and the README's example with data holds too. The examples are
 * PostgreSQL's, so {@code PostgresRunnerTest} holds the one {@code @Nested} subclass.
 */
abstract class RiskExamplesContract extends OnRealDatabase {

  private static final Path EXAMPLES = Path.of("../examples");

  @ParameterizedTest
  @ValueSource(strings = {"none", "low", "high", "destructive"})
  void eachExampleGivesItsLevelAndTheFindingsItsReadmeShows(String level) throws Exception {
    Map<String, String> scripts = scripts(EXAMPLES.resolve("risk/risk-" + level + ".yaml"));
    Map<String, String> applied = scripts(EXAMPLES.resolve("orders-migrations.yaml"));
    assertThat(scripts).as("V1 and V2 are the applied ones, word for word").containsAllEntriesOf(applied);
    String url = database().newDatabaseUrl();
    assertThat(runner("--scripts=" + scripts(applied), "--url=" + url).exitCode()).isZero();

    RunReport report = planned(scripts, url);

    assertThat(report.riskLevel()).isEqualTo(level);
    String readme = Files.readString(EXAMPLES.resolve("risk/README.md"));
    for (RiskFinding finding : report.riskFindings()) {
      assertThat(readme).contains(row(level, finding));
    }
    assertThat(readme).contains("| `risk-" + level + ".yaml` | " + level + " |");
  }

  @org.junit.jupiter.api.Test
  void theHighExampleWillFailOnAStatusLongerThanItsNewType() throws Exception {
    Map<String, String> scripts = scripts(EXAMPLES.resolve("risk/risk-high.yaml"));
    String url = database().newDatabaseUrl();
    assertThat(runner("--scripts=" + scripts(scripts(EXAMPLES.resolve("orders-migrations.yaml"))), "--url=" + url)
        .exitCode()).isZero();
    database().queryAsMigrator(url, "insert into orders (id, status) values (1, 'waiting for the warehouse to confirm')"
        + " returning id");

    RiskFinding narrowing = planned(scripts, url).riskFindings().stream()
        .filter(f -> f.rule().equals("data-narrowing-type")).findFirst().orElseThrow();

    assertThat(Files.readString(EXAMPLES.resolve("risk/README.md"))).contains(row("high", narrowing));
  }

  private RunReport planned(Map<String, String> scripts, String url) throws IOException {
    Result result = plan("--scripts=" + scripts(scripts), "--url=" + url);
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    return result.report();
  }

  /** The README's table row of a finding. */
  private static String row(String level, RiskFinding finding) {
    return "| " + level + " | `" + finding.script() + ":" + finding.line() + "` | `" + finding.rule() + "` | "
        + finding.severity() + " | " + finding.message() + " |";
  }

  private static Map<String, String> scripts(Path configMap) throws IOException {
    JsonNode data = new ObjectMapper(new YAMLFactory()).readTree(configMap.toFile()).path("data");
    Map<String, String> scripts = new LinkedHashMap<>();
    data.fields().forEachRemaining(entry -> scripts.put(entry.getKey(), entry.getValue().asText()));
    return scripts;
  }
}
