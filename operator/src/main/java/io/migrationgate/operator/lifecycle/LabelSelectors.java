package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A metav1.LabelSelector matched against labels, with the API server's meaning of each operator. */
final class LabelSelectors {

  private LabelSelectors() {}

  /** An empty selector matches everything; a null one (never valid in a target) nothing. */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null || labels == null) {
      return false;
    }
    Map<String, String> required = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    List<LabelSelectorRequirement> expressions =
        selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    return required.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))
        && expressions.stream().allMatch(e -> matches(e, labels));
  }

  private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
    String value = labels.get(requirement.getKey());
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    return switch (requirement.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      // An operator the API server would not accept matches nothing: fail closed.
      default -> false;
    };
  }

  /** The selector in kubectl's words, for a message. */
  static String describe(LabelSelector selector) {
    if (selector == null) {
      return "none";
    }
    String labels = selector.getMatchLabels() == null ? "" : selector.getMatchLabels().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    String expressions = selector.getMatchExpressions() == null ? "" : selector.getMatchExpressions().stream()
        .map(e -> e.getKey() + " " + e.getOperator() + (e.getValues() == null ? "" : " (" + String.join(",", e.getValues()) + ")"))
        .collect(Collectors.joining(","));
    String all = labels.isEmpty() ? expressions : expressions.isEmpty() ? labels : labels + "," + expressions;
    return all.isEmpty() ? "{} (every namespace)" : all;
  }
}
