package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.migrationgate.contract.RunnerCommand;
import io.migrationgate.contract.SqlIdentifier;
import io.migrationgate.contract.Versions;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class FlywaySpec {

  public static final String DEFAULT_TABLE = RunnerCommand.DEFAULT_TABLE;

  // No CEL rule on the items: the generator cannot bound their length, and the API server refuses
  // an unbounded regex over a list as too costly. The operator checks them (SpecValidator).
  @Size(max = 16)
  @JsonPropertyDescription("Schemas Flyway manages; the first holds the history table.")
  public List<String> schemas;

  @Pattern(SqlIdentifier.PATTERN)
  @JsonPropertyDescription("History table name (default flyway_schema_history).")
  public String table;

  @JsonPropertyDescription("Allow applying versions older than the current one.")
  public Boolean outOfOrder;

  @JsonPropertyDescription("Baseline a non-empty schema that has no history table.")
  public Boolean baselineOnMigrate;

  @Pattern(Versions.VERSION_PATTERN)
  @JsonPropertyDescription("Version to baseline at when baselineOnMigrate applies (default 1).")
  public String baselineVersion;

  @Size(max = 64)
  @JsonPropertyDescription("Flyway placeholders, ${name} in scripts.")
  public Map<String, String> placeholders;
}
