package io.migrationgate.operator.lifecycle;

import java.util.Map;
import java.util.Optional;

/** Refuses to act in namespaces that match the blocked selector (default environment=production). */
public final class ProductionGuard {

  private final NamespaceSelector blocked;

  public ProductionGuard(NamespaceSelector blocked) {
    this.blocked = blocked;
  }

  /**
   * Why the namespace is refused, if it is. A namespace whose labels cannot be seen is refused too:
   * the guard fails closed.
   */
  public Optional<String> refusal(String namespace, Map<String, String> labelsOrNull) {
    if (labelsOrNull == null) {
      return Optional.of("namespace " + namespace + " is not visible to the operator yet, so it "
          + "cannot be checked against the blocked selector '" + blocked + "'");
    }
    if (blocked.matches(labelsOrNull)) {
      return Optional.of("namespace " + namespace + " matches the blocked selector '" + blocked
          + "': migrations are refused there; remove the label to allow it");
    }
    return Optional.empty();
  }
}
