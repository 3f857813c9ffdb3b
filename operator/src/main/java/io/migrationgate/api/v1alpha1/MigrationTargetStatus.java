package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator found about a target: whether it reaches the database, and whether another target names it too. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrationTargetStatus {

  /** Whether the last check Job reached the database with the target's credentials. */
  public static final String REACHABLE = "Reachable";
  /** Another target names the same database (the same normalized address). */
  public static final String DUPLICATE_ADDRESS = "DuplicateAddress";

  @JsonPropertyDescription("The metadata.generation the last finished check ran for.")
  public Long observedGeneration;

  @JsonPropertyDescription("When the operator recorded the last finished check (its own clock).")
  public String lastCheckedAt;

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @SchemaFrom(type = KubernetesTypes.Condition[].class)
  @JsonPropertyDescription("Reachable (the last read-only connection check's result; Unknown until one finished) and "
      + "DuplicateAddress (True while another MigrationTarget names the same database, which is then named). "
      + "Written only by the operator.")
  public List<Condition> conditions = new ArrayList<>();

  @Override
  public boolean equals(Object o) {
    return o instanceof MigrationTargetStatus other && Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(lastCheckedAt, other.lastCheckedAt) && Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, lastCheckedAt, conditions);
  }
}
