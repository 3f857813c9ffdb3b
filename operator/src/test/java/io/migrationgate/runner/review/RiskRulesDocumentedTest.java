package io.migrationgate.runner.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/approvals.md, "Risk and approval rules", lists exactly the review's rules, each as the code has it. */
class RiskRulesDocumentedTest {

  private static final String SECTION = "## Risk and approval rules";

  @Test
  void everyRuleIsDocumentedAndNothingElse() throws IOException {
    assertThat(new TreeSet<>(documented().keySet())).isEqualTo(
        Arrays.stream(Rule.values()).map(Rule::id).collect(Collectors.toCollection(TreeSet::new)));
  }

  @Test
  void theDocumentedSeverityAndSaferAlternativeAreTheCodes() throws IOException {
    Map<String, String[]> rows = documented();
    for (Rule rule : Rule.values()) {
      String[] row = rows.get(rule.id());
      assertThat(row[1]).as(rule.id() + " severity").isEqualTo(rule.severity().word());
      assertThat(row[4]).as(rule.id() + " safer alternative").isEqualTo(rule.saferAlternative().replace("|", "\\|"));
    }
  }

  @Test
  void ruleIdsAreStableWords() {
    Set<String> ids = new TreeSet<>();
    for (Rule rule : Rule.values()) {
      assertThat(rule.id()).matches("[a-z]+(-[a-z]+)*");
      assertThat(ids.add(rule.id())).as("unique: " + rule.id()).isTrue();
    }
  }

  /** Rule id (without backticks) to the table's cells. */
  private static Map<String, String[]> documented() throws IOException {
    String doc = Files.readString(Path.of("../docs/approvals.md"), StandardCharsets.UTF_8);
    int start = doc.indexOf(SECTION);
    assertThat(start).as("docs/approvals.md has a section " + SECTION).isNotNegative();
    int end = doc.indexOf("\n## ", start + SECTION.length());
    Map<String, String[]> rows = new LinkedHashMap<>();
    for (String line : doc.substring(start, end < 0 ? doc.length() : end).split("\n")) {
      if (line.startsWith("| `")) {
        String[] cells = Arrays.stream(line.substring(2, line.length() - 2).split(" \\| ", -1))
            .map(String::strip).toArray(String[]::new);
        rows.put(cells[0].replace("`", ""), cells);
      }
    }
    return rows;
  }
}
