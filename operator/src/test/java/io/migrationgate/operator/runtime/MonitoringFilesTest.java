package io.migrationgate.operator.runtime;

import io.migrationgate.operator.Requests;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.migrationgate.api.v1alpha1.Conditions;
import io.migrationgate.api.v1alpha1.JobStatus;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the dashboard in monitoring/ ask only for what the operator exports: every
 * metric name, label and label value in their queries exists on a real scrape of the operator's
 * metrics, the queries are well formed, and the files have the shape Prometheus and Grafana read.
 */
class MonitoringFilesTest {

  private static final Path MONITORING = Path.of("../monitoring");
  private static final Set<String> PROMQL_WORDS = Set.of("sum", "max", "min", "avg", "count", "by", "without",
      "rate", "increase", "histogram_quantile", "and", "or", "unless", "on", "ignoring", "bool", "offset", "absent");
  private static final Pattern SELECTOR = Pattern.compile("(migrationgate_[a-z_]+)(\\{([^}]*)\\})?");
  private static final Pattern MATCHER = Pattern.compile("\\s*([a-z_]+)\\s*(=|!=|=~|!~)\\s*\"([^\"]*)\"\\s*");
  private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /** Metric name -> its label names, as a scrape of a populated registry shows them. */
  private static final Map<String, Set<String>> EXPORTED = new HashMap<>();

  @BeforeAll
  static void scrapeTheOperatorsMetrics() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
    RequestMetrics metrics = new RequestMetrics(registry, Clock.fixed(t0, ZoneOffset.UTC));
    MigrationRequestStatus queued = RequestMetricsTest.approved(Phase.Queued, "WaitingForDatabase", 10);
    MigrationRequestStatus done = RequestMetricsTest.approved(Phase.Succeeded, "MigrationSucceeded", 10);
    done.job = new JobStatus();
    done.job.uid = "uid";
    done.job.createdAt = t0.plusSeconds(20).toString();
    done.job.finishedAt = t0.plusSeconds(30).toString();
    metrics.recorded(Requests.request("team", "a"), null, RequestMetricsTest.status(Phase.AwaitingApproval, "AwaitingApproval"), t0);
    metrics.recorded(Requests.request("team", "b"), RequestMetricsTest.status(Phase.AwaitingApproval, "AwaitingApproval"), queued, t0);
    metrics.recorded(Requests.request("team", "c"), RequestMetricsTest.status(Phase.AwaitingApproval, "AwaitingApproval"), done, t0);
    for (String line : registry.scrape().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.indexOf(' ');
      String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
      Set<String> labels = EXPORTED.computeIfAbsent(name, n -> new HashSet<>());
      if (brace >= 0 && brace < space) {
        Matcher label = Pattern.compile("([a-z_]+)=\"").matcher(line.substring(brace, line.indexOf('}')));
        while (label.find()) {
          labels.add(label.group(1));
        }
      }
    }
    assertThat(EXPORTED).containsKeys("migrationgate_requests", "migrationgate_requests_finished_total",
        "migrationgate_run_duration_seconds_bucket", "migrationgate_database_queue_length");
  }

  /** Every name, label and value of {@code expr}, or what is wrong with it. */
  private static List<String> problems(String expr) {
    List<String> problems = new ArrayList<>();
    String withoutStrings = expr.replaceAll("\"[^\"]*\"", "\"\"").replaceAll("\\[[^\\]]*\\]", "");
    if (!balanced(withoutStrings)) {
      problems.add("unbalanced brackets in " + expr);
    }
    Set<String> labelsInScope = new HashSet<>();
    Matcher selector = SELECTOR.matcher(expr);
    while (selector.find()) {
      String metric = selector.group(1);
      if (!EXPORTED.containsKey(metric)) {
        problems.add("the operator exports no " + metric);
        continue;
      }
      labelsInScope.addAll(EXPORTED.get(metric));
      if (selector.group(3) != null) {
        for (String matcher : selector.group(3).split(",")) {
          Matcher m = MATCHER.matcher(matcher);
          if (!m.matches()) {
            problems.add("not a label matcher: " + matcher);
          } else if (!EXPORTED.get(metric).contains(m.group(1))) {
            problems.add(metric + " has no label " + m.group(1));
          } else if (!knownValue(m.group(1), m.group(3))) {
            problems.add(m.group(1) + "=\"" + m.group(3) + "\" is never exported");
          }
        }
      }
    }
    Matcher grouping = GROUPING.matcher(expr);
    while (grouping.find()) {
      for (String label : grouping.group(1).split(",")) {
        if (!label.isBlank() && !labelsInScope.contains(label.trim())) {
          problems.add("grouping by " + label.trim() + ", a label none of its metrics has");
        }
      }
    }
    Matcher word = IDENTIFIER.matcher(withoutStrings.replaceAll("\\{[^}]*\\}", "").replace("$__rate_interval", ""));
    while (word.find()) {
      String w = word.group();
      if (!w.startsWith("migrationgate_") && !PROMQL_WORDS.contains(w) && !labelsInScope.contains(w)) {
        problems.add("unknown word " + w + " in " + expr);
      }
    }
    return problems;
  }

  private static boolean knownValue(String label, String value) {
    return switch (label) {
      case "phase" -> Arrays.stream(Phase.values()).anyMatch(p -> p.name().equals(value));
      case "reason" -> reasons().contains(value);
      default -> true;
    };
  }

  /** Every reason a request can end with: the operator's and the run outcomes' (PlanStale among them). */
  private static Set<String> reasons() {
    Set<String> reasons = Arrays.stream(Conditions.Reason.class.getFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .map(MonitoringFilesTest::value)
        .collect(Collectors.toCollection(HashSet::new));
    Arrays.stream(io.migrationgate.contract.Outcome.values()).map(io.migrationgate.contract.Outcome::conditionReason)
        .forEach(reasons::add);
    return reasons;
  }

  private static String value(Field field) {
    try {
      return (String) field.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean balanced(String expr) {
    int depth = 0;
    for (char c : expr.toCharArray()) {
      depth += c == '(' || c == '{' ? 1 : c == ')' || c == '}' ? -1 : 0;
      if (depth < 0) {
        return false;
      }
    }
    return depth == 0;
  }

  @Test
  void everyAlertRuleIsWellFormedAndAsksOnlyForWhatTheOperatorExports() throws Exception {
    JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(MONITORING.resolve("prometheus-rules.yaml").toFile());
    List<String> problems = new ArrayList<>();
    Set<String> names = new HashSet<>();
    assertThat(rules.path("groups")).isNotEmpty();
    for (JsonNode group : rules.path("groups")) {
      assertThat(group.path("name").asText()).isNotBlank();
      for (JsonNode rule : group.path("rules")) {
        String alert = rule.path("alert").asText();
        assertThat(alert).matches("[A-Z][A-Za-z]+");
        assertThat(names.add(alert)).as("alert names are unique: %s", alert).isTrue();
        assertThat(rule.path("labels").path("severity").asText()).isIn("info", "warning", "critical");
        assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
        assertThat(rule.path("annotations").path("description").asText()).isNotBlank();
        if (rule.has("for")) {
          assertThat(rule.path("for").asText()).matches("\\d+[smhd]");
        }
        problems.addAll(problems(rule.path("expr").asText()));
      }
    }
    assertThat(names).hasSizeGreaterThanOrEqualTo(4);
    assertThat(problems).isEmpty();
  }

  @Test
  void everyDashboardQueryAsksOnlyForWhatTheOperatorExports() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(MONITORING.resolve("grafana-dashboard.json").toFile());
    List<String> problems = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    assertThat(dashboard.path("uid").asText()).isNotBlank();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).isTrue();
      assertThat(panel.path("title").asText()).isNotBlank();
      assertThat(panel.path("targets")).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        problems.addAll(problems(target.path("expr").asText()));
      }
    }
    assertThat(ids).hasSizeGreaterThanOrEqualTo(6);
    assertThat(problems).isEmpty();
  }

  @Test
  void theCheckCatchesARenamedMetricAWrongLabelAndAnUnknownReason() {
    assertThat(problems("sum(migrationgate_request)")).anyMatch(p -> p.contains("exports no migrationgate_request"));
    assertThat(problems("sum by (namespace) (migrationgate_requests)")).anyMatch(p -> p.contains("grouping by namespace"));
    assertThat(problems("migrationgate_requests_finished_total{reason=\"PlanStail\"}")).isNotEmpty();
    assertThat(problems("sum(rate(migrationgate_requests_finished_total[5m])")).isNotEmpty();
  }
}
