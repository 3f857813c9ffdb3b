package io.migrationgate.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.ReconcilerUtils;
import io.migrationgate.api.v1alpha1.Annotations;
import io.migrationgate.api.v1alpha1.Conditions;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.RunnerCommand;
import io.migrationgate.contract.RunnerCommandParser;
import io.migrationgate.operator.runtime.OperatorConfig;
import io.migrationgate.operator.runtime.OperatorLogging;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs as data: the environment variables, chart values, annotations, condition reasons and
 * printer columns the docs name are the ones the code has, both ways. Prose nobody runs drifts; a
 * newcomer who copies a variable or a value from the docs must find it working.
 */
class DocsMatchCodeTest {

  private static final Path REPO = Path.of("..");
  private static final Path CHART = REPO.resolve("helm/migration-gate");
  private static final Pattern ENV = Pattern.compile("\\bMG_[A-Z][A-Z0-9_]*[A-Z0-9]\\b");
  /** A {@code migrationgate.io/} name on its own: not an API version, not a longer finalizer name. */
  private static final Pattern OWN_NAME = Pattern.compile("(?<![\\w.])migrationgate\\.io/[a-z]+(?:-[a-z]+)*\\b(?![\\w/])");
  private static final Pattern FINALIZER = Pattern.compile("\\b[a-z]+\\.migrationgate\\.io/[a-z]+\\b");
  private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\n]+)`");
  private static final Pattern SET_FLAG = Pattern.compile("--set[ =]([A-Za-z][\\w.]*)=");
  private static final Pattern CHART_VALUE = Pattern.compile("[a-z][A-Za-z]*(?:\\.[A-Za-z]+)*");
  private static final Pattern FILE_NAME = Pattern.compile(".*\\.(md|ya?ml|json|java|sh|lua|txt|tpl|jar|sql)$");

  @Test
  void theOperatorsVariablesAreTheConfigurationTable() throws IOException {
    assertThat(firstColumnNames(table(doc("docs/operations.md"), "## Configuration"), ENV))
        .as("docs/operations.md \"Configuration\" lists exactly the variables the operator reads")
        .isEqualTo(operatorVariables());
  }

  @Test
  void theRunnersVariablesAreItsOptionsTable() throws IOException {
    String runnerDoc = doc("docs/runner.md");
    Set<String> documented = new TreeSet<>();
    for (List<String> row : table(runnerDoc, "## Inputs")) {
      if (row.get(0).startsWith("`--")) {
        documented.addAll(matches(ENV, row.get(1)));
      }
    }
    Set<String> options = runnerVariables();
    options.removeAll(Set.of(RunnerCommand.USERNAME_ENV, RunnerCommand.PASSWORD_ENV));
    assertThat(documented).as("docs/runner.md's options table names each option's variable").isEqualTo(options);
    assertThat(runnerDoc).contains(RunnerCommand.USERNAME_ENV, RunnerCommand.PASSWORD_ENV);
  }

  @Test
  void everyVariableTheDocsOrTheChartNameIsRead() throws IOException {
    Set<String> read = operatorVariables();
    read.addAll(runnerVariables());
    Map<String, Set<String>> named = new TreeMap<>();
    for (Map.Entry<Path, String> doc : docs().entrySet()) {
      for (String variable : matches(ENV, doc.getValue())) {
        named.computeIfAbsent(variable, v -> new TreeSet<>()).add(doc.getKey().toString());
      }
    }
    assertThat(named).as("variables the docs name").containsKeys("MG_RUNNER_IMAGE", "MG_DB_PASSWORD");
    assertThat(named.keySet()).as("named in the docs but read by neither the operator nor the runner: " + named)
        .isSubsetOf(read);

    Set<String> chartSets = matches(Pattern.compile("- name: (MG_[A-Z_]+)"),
        Files.readString(CHART.resolve("templates/deployment.yaml")));
    assertThat(chartSets).as("the chart's Deployment sets").contains("MG_LOG_LEVEL").isSubsetOf(operatorVariables());
  }

  @Test
  void theChartValuesTableDescribesEveryValueAndOnlyThose() throws IOException {
    JsonNode values = yaml(CHART.resolve("values.yaml"));
    JsonNode schema = new ObjectMapper().readTree(CHART.resolve("values.schema.json").toFile());
    Set<String> documented = chartValuesTable();
    assertThat(documented).as("the table's values").contains("image.repository", "serviceAccount.name", "logLevel");

    assertThat(documented).allSatisfy(value -> assertThat(exists(values, value) || inSchema(schema, value))
        .as("%s is in docs/operations.md \"Chart values\" but neither in values.yaml nor in values.schema.json", value)
        .isTrue());
    Set<String> leaves = new TreeSet<>();
    leaves(values, "", leaves);
    assertThat(leaves).allSatisfy(leaf -> assertThat(documented)
        .as("values.yaml has %s, which docs/operations.md \"Chart values\" does not describe", leaf)
        .anyMatch(value -> leaf.equals(value) || leaf.startsWith(value + ".")));
  }

  @Test
  void everyChartValueTheDocsNameExists() throws IOException {
    JsonNode values = yaml(CHART.resolve("values.yaml"));
    JsonNode schema = new ObjectMapper().readTree(CHART.resolve("values.schema.json").toFile());
    Set<String> topLevel = new TreeSet<>();
    values.fieldNames().forEachRemaining(topLevel::add);
    schema.path("properties").fieldNames().forEachRemaining(topLevel::add);

    Map<String, String> unknown = new TreeMap<>();
    int checked = 0;
    for (Map.Entry<Path, String> doc : docs().entrySet()) {
      for (String value : chartValuesNamed(doc.getValue())) {
        if (value.contains(".") && topLevel.contains(value.substring(0, value.indexOf('.')))) {
          checked++;
          if (!exists(values, value) && !inSchema(schema, value)) {
            unknown.put(value, doc.getKey().toString());
          }
        }
      }
    }
    assertThat(checked).as("dotted chart values found in the docs").isGreaterThan(20);
    assertThat(unknown).as("chart values the docs name that the chart does not have").isEmpty();
  }

  @Test
  void theAnnotationsAndFinalizersTheDocsNameAreTheCodesBothWays() throws IOException {
    Set<String> code = new TreeSet<>();
    for (Field field : Annotations.class.getFields()) {
      // prefixes (one annotation per approver) are checked against the people's table below
      if (isConstant(field) && !field.getName().endsWith("PREFIX")) {
        code.add((String) constant(field));
      }
    }
    // What the operator's own Java writes literally, and what the chart's policies and the plugin guard.
    for (Path source : files(Path.of("src/main/java"), ".java")) {
      code.addAll(matches(OWN_NAME, Files.readString(source)));
    }
    String policies = Files.readString(CHART.resolve("templates/admission-policies.yaml"));
    code.addAll(matches(OWN_NAME, policies));
    for (String annotation : matches(Pattern.compile("\\(list \"\\w+\" \"([a-z-]+)\"\\)"), policies)) {
      code.add(Annotations.PREFIX + annotation);
    }
    code.addAll(matches(OWN_NAME, Files.readString(REPO.resolve("kubectl-plugin/kubectl-migrationgate"))));

    Set<String> documented = new TreeSet<>();
    Set<String> finalizers = new TreeSet<>();
    for (String doc : docs().values()) {
      documented.addAll(matches(OWN_NAME, doc));
      finalizers.addAll(matches(FINALIZER, doc));
    }
    assertThat(code).as("found in the code").contains(Annotations.APPROVED_BY, "migrationgate.io/rejection-reason",
        "migrationgate.io/job-outcome");
    assertThat(documented).as("named in the docs, unknown to the code").isSubsetOf(code);
    assertThat(code).as("in the code, named in no doc").isSubsetOf(documented);
    assertThat(finalizers).as("the request's finalizer, as JOSDK names it")
        .containsExactly(ReconcilerUtils.getDefaultFinalizerName(MigrationRequest.class));
  }

  @Test
  void thePeoplesAnnotationsTableIsWhatTheOperatorReadsAndThePoliciesGuard() throws IOException {
    Set<String> table = firstColumnNames(table(doc("docs/approvals.md"), "## The annotations"),
        Pattern.compile("migrationgate\\.io/[a-z-]+"));
    Set<String> code = new TreeSet<>();
    Set<String> keyPrefixes = new TreeSet<>();
    for (Field field : Annotations.class.getFields()) {
      if (isConstant(field) && !field.getName().equals("PREFIX")) {
        String annotation = (String) constant(field);
        // A prefix names a family of annotations, one per approver: the table shows it with <key>.
        (annotation.endsWith("/") ? keyPrefixes : code).add(annotation);
      }
    }
    String policies = Files.readString(CHART.resolve("templates/admission-policies.yaml"));
    for (String annotation : matches(Pattern.compile("\\(list \"\\w+\" \"([a-z-]+)\"\\)"), policies)) {
      code.add(Annotations.PREFIX + annotation);
    }
    assertThat(table).isEqualTo(code);
    Set<String> tablePrefixes = firstColumnNames(table(doc("docs/approvals.md"), "## The annotations"),
        Pattern.compile("[a-z-]+\\.migrationgate\\.io/(?=<key>)"));
    assertThat(tablePrefixes).isEqualTo(keyPrefixes);
  }

  @Test
  void everyReasonIsDocumentedAndEveryDocumentedReasonExists() throws IOException {
    Set<String> code = new TreeSet<>();
    for (Field field : Conditions.Reason.class.getFields()) {
      if (isConstant(field)) {
        code.add((String) constant(field));
      }
    }
    Arrays.stream(Outcome.values()).map(Outcome::conditionReason).forEach(code::add);

    String evidence = doc("docs/evidence.md");
    Pattern reason = Pattern.compile("^[A-Z][A-Za-z]+$");
    Set<String> documented = firstColumnNames(table(evidence, "## Every reason"), reason);
    // the Events table's first cell is a reason, or a sentence about one (the Ready condition's)
    documented.addAll(firstColumnNames(table(evidence, "## Events").stream()
        .filter(row -> row.get(0).matches("`[^`]+`")).toList(), reason));
    assertThat(documented).as("docs/evidence.md \"Every reason\" and \"Events\"").isEqualTo(code);

    Set<String> approvals = firstColumnNames(table(doc("docs/approvals.md"), "## Every reason, and what to do"), reason);
    assertThat(approvals).as("docs/approvals.md \"Every reason, and what to do\"").isNotEmpty().isSubsetOf(code);
  }

  @Test
  void everyConditionTypeIsDocumented() throws IOException {
    Set<String> code = new TreeSet<>();
    for (Field field : Conditions.class.getDeclaredFields()) {
      if (isConstant(field) && field.getType() == String.class) {
        code.add((String) constant(field));
      }
    }
    String evidence = doc("docs/evidence.md");
    String section = section(evidence, "## Conditions");
    Set<String> table = firstColumnNames(table(evidence, "## Conditions"), Pattern.compile("^[A-Z][A-Za-z]+$"));
    assertThat(table).as("the conditions table").isNotEmpty().isSubsetOf(code);
    assertThat(code).allSatisfy(type -> assertThat(section).as("docs/evidence.md \"Conditions\" names " + type)
        .contains("`" + type + "`"));
  }

  @Test
  void thePrinterColumnsAreTheColumnsTableAndTheSampleOutputs() throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(
        Files.readString(REPO.resolve("crds/migrationrequests.migrationgate.io.yaml")), CustomResourceDefinition.class);
    List<CustomResourceColumnDefinition> columns = crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns();
    List<String> code = columns.stream()
        .map(c -> c.getName() + " | " + (c.getPriority() == null || c.getPriority() == 0 ? "always" : "-o wide")
            + " | " + c.getJsonPath())
        .toList();
    List<String> documented = new ArrayList<>();
    for (List<String> row : table(doc("docs/evidence.md"), "## Columns of `kubectl get mr`")) {
      documented.add(unquote(row.get(0)) + " | " + unquote(row.get(1)) + " | " + firstCodeSpan(row.get(2)));
    }
    assertThat(documented).as("docs/evidence.md \"Columns of kubectl get mr\", in kubectl's order").isEqualTo(code);

    List<String> header = new ArrayList<>(List.of("NAME"));
    columns.stream().filter(c -> c.getPriority() == null || c.getPriority() == 0)
        .forEach(c -> header.add(c.getName().toUpperCase()));
    int samples = 0;
    for (Map.Entry<Path, String> doc : docs().entrySet()) {
      for (String line : doc.getValue().split("\n")) {
        // a header of kubectl get mr: NAME and most of its columns, whichever one a typo changed
        if (line.startsWith("NAME ") && header.stream().filter(List.of(line.split("\\s{2,}"))::contains).count() >= 3) {
          samples++;
          assertThat(List.of(line.strip().split("\\s{2,}"))).as("a `kubectl get mr` sample in " + doc.getKey())
              .isEqualTo(header);
        }
      }
    }
    assertThat(samples).as("sample outputs of kubectl get mr").isPositive();
  }

  @Test
  void theTableReaderFailsOnAMissingSection() {
    // a renamed heading must fail these checks, not make them compare two empty sets
    assertThatThrownBy(() -> table("# Doc\n\n| a |\n|---|\n| `b` |\n", "## Nowhere"))
        .hasMessageContaining("## Nowhere");
  }

  private static Set<String> operatorVariables() {
    RecordingEnvironment env = new RecordingEnvironment();
    OperatorConfig.fromEnvironment(env);
    OperatorLogging.configure(new LoggerContext(), env);
    return env.variables();
  }

  private static Set<String> runnerVariables() {
    RecordingEnvironment env = new RecordingEnvironment();
    // with no arguments the runner looks up every option's variable, then refuses the missing ones
    assertThatThrownBy(() -> RunnerCommandParser.parse(List.of(), env)).isInstanceOf(Exception.class);
    Set<String> variables = env.variables();
    variables.add(RunnerCommand.USERNAME_ENV);
    variables.add(RunnerCommand.PASSWORD_ENV);
    return variables;
  }

  /** The values named in the first column; {@code .name} continues the last full name's parent. */
  private static Set<String> chartValuesTable() throws IOException {
    Set<String> values = new TreeSet<>();
    for (List<String> row : table(doc("docs/operations.md"), "### Chart values")) {
      String parent = "";
      for (String span : spans(row.get(0))) {
        String value = span.startsWith(".") ? parent + span : span;
        parent = value.contains(".") ? value.substring(0, value.lastIndexOf('.')) : "";
        values.add(value);
      }
    }
    return values;
  }

  private static Set<String> chartValuesNamed(String doc) {
    Set<String> named = new TreeSet<>(matches(SET_FLAG, doc));
    for (String span : matches(CODE_SPAN, doc)) {
      String candidate = span.contains("=") ? span.substring(0, span.indexOf('=')) : span;
      if (CHART_VALUE.matcher(candidate).matches() && !FILE_NAME.matcher(candidate).matches()) {
        named.add(candidate);
      }
    }
    return named;
  }

  private static boolean exists(JsonNode values, String path) {
    JsonNode node = values;
    for (String part : path.split("\\.")) {
      node = node.get(part);
      if (node == null) {
        return false;
      }
    }
    return true;
  }

  private static boolean inSchema(JsonNode schema, String path) {
    JsonNode node = schema;
    for (String part : path.split("\\.")) {
      node = node.path("properties").get(part);
      if (node == null) {
        return false;
      }
    }
    return true;
  }

  private static void leaves(JsonNode node, String path, Set<String> leaves) {
    if (node.isObject() && node.size() > 0) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        leaves(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), leaves);
      }
    } else {
      leaves.add(path);
    }
  }

  /** The rows (without header and separator) of the first table under {@code heading}. */
  static List<List<String>> table(String doc, String heading) {
    List<List<String>> rows = new ArrayList<>();
    boolean header = true;
    for (String line : section(doc, heading).split("\n")) {
      if (!line.startsWith("|")) {
        if (!rows.isEmpty() || !header) {
          break;
        }
        continue;
      }
      if (header) {
        header = false;
        continue;
      }
      if (line.matches("^\\|[-| :]+\\|$")) {
        continue;
      }
      List<String> cells = new ArrayList<>();
      for (String cell : line.substring(1, line.length() - 1).split("(?<!\\\\)\\|")) {
        cells.add(cell.strip());
      }
      rows.add(cells);
    }
    assertThat(rows).as("a table under " + heading).isNotEmpty();
    return rows;
  }

  /** From {@code heading} to the next heading of the same or a higher level. */
  private static String section(String doc, String heading) {
    int start = doc.indexOf("\n" + heading + "\n");
    assertThat(start).as("the section " + heading).isNotNegative();
    String level = heading.substring(0, heading.indexOf(' ') + 1);
    Matcher next = Pattern.compile("\n#{1," + (level.length() - 1) + "} ").matcher(doc);
    int end = next.find(start + heading.length() + 1) ? next.start() : doc.length();
    return doc.substring(start + 1, end);
  }

  /** What {@code name} finds in the code spans of each row's first cell. */
  private static Set<String> firstColumnNames(List<List<String>> rows, Pattern name) {
    Set<String> names = new TreeSet<>();
    for (List<String> row : rows) {
      for (String span : matches(CODE_SPAN, row.get(0))) {
        names.addAll(matches(name, span));
      }
    }
    return names;
  }

  private static Set<String> matches(Pattern pattern, String text) {
    Set<String> found = new TreeSet<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      found.add(m.groupCount() > 0 ? m.group(1) : m.group());
    }
    return found;
  }

  /** The code spans of {@code text}, in order. */
  private static List<String> spans(String text) {
    List<String> spans = new ArrayList<>();
    Matcher m = CODE_SPAN.matcher(text);
    while (m.find()) {
      spans.add(m.group(1));
    }
    return spans;
  }

  private static String unquote(String cell) {
    return cell.replace("`", "");
  }

  private static String firstCodeSpan(String cell) {
    Matcher m = CODE_SPAN.matcher(cell);
    assertThat(m.find()).as("a code span in " + cell).isTrue();
    return m.group(1);
  }

  /** Every page a user reads: the READMEs, docs/, and what the chart says on install. */
  private static Map<Path, String> docs() throws IOException {
    Map<Path, String> docs = new LinkedHashMap<>();
    List<Path> pages = new ArrayList<>(List.of(REPO.resolve("README.md"), REPO.resolve("examples/README.md"),
        REPO.resolve("local-cluster/README.md"), CHART.resolve("values.yaml"), CHART.resolve("templates/NOTES.txt")));
    pages.addAll(files(REPO.resolve("docs"), ".md"));
    for (Path page : pages) {
      docs.put(REPO.relativize(page), Files.readString(page));
    }
    return docs;
  }

  private static String doc(String path) throws IOException {
    return Files.readString(REPO.resolve(path));
  }

  private static List<Path> files(Path root, String suffix) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(suffix)).sorted().collect(Collectors.toList());
    }
  }

  private static JsonNode yaml(Path file) throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
  }

  private static boolean isConstant(Field field) {
    int modifiers = field.getModifiers();
    return Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && Modifier.isPublic(modifiers)
        && field.getType() == String.class;
  }

  private static Object constant(Field field) {
    try {
      return field.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An empty environment that remembers which MG_* variables the code asked for. */
  private static final class RecordingEnvironment extends HashMap<String, String> {
    private final Set<String> asked = new TreeSet<>();

    @Override
    public String get(Object key) {
      asked.add(String.valueOf(key));
      return super.get(key);
    }

    @Override
    public String getOrDefault(Object key, String defaultValue) {
      asked.add(String.valueOf(key));
      return super.getOrDefault(key, defaultValue);
    }

    @Override
    public boolean containsKey(Object key) {
      asked.add(String.valueOf(key));
      return super.containsKey(key);
    }

    Set<String> variables() {
      return asked.stream().filter(k -> k.startsWith("MG_")).collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
