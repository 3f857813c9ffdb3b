package io.migrationgate.operator.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A label selector in kubectl's string syntax ({@code environment=production},
 * {@code tier in (prod,live)}, {@code !sandbox}), matched against a Namespace's labels.
 */
public final class NamespaceSelector {

  private static final Pattern SET_BASED =
      Pattern.compile("^([^\\s!=,()]+)\\s+(in|notin)\\s*\\(([^)]*)\\)$");
  private static final Pattern EQUALITY = Pattern.compile("^([^\\s!=,()]+)\\s*(==|=|!=)\\s*([^\\s!=,()]*)$");
  private static final Pattern EXISTS = Pattern.compile("^(!?)([^\\s!=,()]+)$");

  private record Requirement(String key, String operator, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case "in" -> value != null && values.contains(value);
        case "notin" -> value == null || !values.contains(value);
        case "exists" -> value != null;
        case "!exists" -> value == null;
        default -> throw new IllegalStateException(operator);
      };
    }
  }

  private final String text;
  private final List<Requirement> requirements;

  private NamespaceSelector(String text, List<Requirement> requirements) {
    this.text = text;
    this.requirements = requirements;
  }

  public static NamespaceSelector parse(String text) {
    List<Requirement> requirements = new ArrayList<>();
    for (String clause : splitOutsideParentheses(text.trim())) {
      requirements.add(requirement(clause.trim()));
    }
    if (requirements.isEmpty()) {
      throw new IllegalArgumentException(
          "an empty selector would block every namespace; use e.g. environment=production");
    }
    return new NamespaceSelector(text.trim(), List.copyOf(requirements));
  }

  public boolean matches(Map<String, String> labels) {
    Map<String, String> safe = labels == null ? Map.of() : labels;
    return requirements.stream().allMatch(r -> r.matches(safe));
  }

  @Override
  public String toString() {
    return text;
  }

  private static Requirement requirement(String clause) {
    Matcher m = SET_BASED.matcher(clause);
    if (m.matches()) {
      List<String> values = List.of(m.group(3).trim().split("\\s*,\\s*", -1));
      if (values.stream().anyMatch(String::isEmpty)) {
        // "in ()" would match no namespace, so a blocked selector written that way blocks nothing:
        // fail at start-up instead of failing open. Kubernetes refuses empty value sets too.
        throw new IllegalArgumentException("'" + clause + "' has an empty value in its set; "
            + "Kubernetes refuses empty value sets, and this one would block nothing: list the values, "
            + "e.g. " + m.group(1) + " " + m.group(2) + " (production)");
      }
      return new Requirement(m.group(1), m.group(2), Set.copyOf(values));
    }
    m = EQUALITY.matcher(clause);
    if (m.matches()) {
      return new Requirement(m.group(1), m.group(2).equals("!=") ? "notin" : "in", Set.of(m.group(3)));
    }
    m = EXISTS.matcher(clause);
    if (m.matches()) {
      return new Requirement(m.group(2), m.group(1).isEmpty() ? "exists" : "!exists", Set.of());
    }
    throw new IllegalArgumentException("cannot parse selector clause '" + clause + "'");
  }

  private static List<String> splitOutsideParentheses(String text) {
    List<String> clauses = new ArrayList<>();
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '(') depth++;
      if (c == ')') depth--;
      if (c == ',' && depth == 0) {
        clauses.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (!current.toString().isBlank()) clauses.add(current.toString());
    return clauses;
  }
}
