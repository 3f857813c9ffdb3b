package io.migrationgate.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two options whose values are JSON, {@code --placeholders} and {@code --verify}, written and
 * read: every other option is a plain string, so only these need a JSON reader and its rules.
 */
final class RunnerJsonOptions {

  // Built only when one of these options is present: a plan without them never pays for databind.
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private RunnerJsonOptions() {}

  static String write(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("placeholders and verify queries are plain strings", e);
    }
  }

  static Map<String, String> placeholders(Optional<String> json) throws BadArgumentsException {
    Map<String, String> placeholders = new LinkedHashMap<>();
    if (json.isEmpty()) {
      return placeholders;
    }
    JsonNode tree = read(RunnerOptions.PLACEHOLDERS, json.get());
    if (!tree.isObject()) {
      throw new BadArgumentsException(
          "--placeholders must be a JSON object of names to strings, like {\"owner\":\"app\"}");
    }
    Iterator<Map.Entry<String, JsonNode>> fields = tree.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getValue().isTextual()) {
        throw new BadArgumentsException(
            "--placeholders: the value of \"" + field.getKey() + "\" must be a JSON string");
      }
      placeholders.put(field.getKey(), field.getValue().textValue());
    }
    return placeholders;
  }

  static List<VerifyQuery> verifyQueries(Optional<String> json) throws BadArgumentsException {
    List<VerifyQuery> queries = new ArrayList<>();
    if (json.isEmpty()) {
      return queries;
    }
    JsonNode tree = read(RunnerOptions.VERIFY, json.get());
    if (!tree.isArray()) {
      throw new BadArgumentsException(
          "--verify must be a JSON array like [{\"name\":...,\"sql\":...,\"expect\":...}]");
    }
    for (int i = 0; i < tree.size(); i++) {
      JsonNode query = tree.get(i);
      if (!query.isObject()) {
        throw new BadArgumentsException("--verify: entry " + i + " must be a JSON object");
      }
      String name = text(query, "name", i);
      String sql = text(query, "sql", i);
      Optional<String> notOne = SingleStatement.problem(sql);
      if (notOne.isPresent()) {
        throw new BadArgumentsException("--verify: \"" + name + "\" " + notOne.get());
      }
      JsonNode expect = query.get("expect");
      if (expect == null || !expect.isValueNode()) {
        throw new BadArgumentsException(
            "--verify: entry " + i + " (\"" + name + "\") needs \"expect\", the first column of"
                + " the first row as a string");
      }
      // A JSON null means "expect SQL NULL", which the comparison spells "null".
      queries.add(new VerifyQuery(name, sql, expect.isNull() ? "null" : expect.asText()));
    }
    Optional<String> repeated = VerifyQuery.repeatedName(queries.stream().map(VerifyQuery::name).toList());
    if (repeated.isPresent()) {
      throw new BadArgumentsException("--verify: the name \"" + repeated.get() + "\" is used twice");
    }
    return queries;
  }

  private static String text(JsonNode query, String field, int index) throws BadArgumentsException {
    JsonNode value = query.get(field);
    if (value == null || !value.isTextual() || value.textValue().isBlank()) {
      throw new BadArgumentsException(
          "--verify: entry " + index + " needs a non-empty string \"" + field + "\"");
    }
    return value.textValue();
  }

  private static JsonNode read(String option, String json) throws BadArgumentsException {
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new BadArgumentsException(
          "--" + option + " is not valid JSON: " + e.getOriginalMessage());
    }
  }
}
