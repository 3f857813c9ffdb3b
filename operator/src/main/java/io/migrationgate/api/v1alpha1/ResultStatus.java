package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResultStatus {

  @JsonPropertyDescription("The runner's outcome, e.g. SUCCEEDED or MIGRATION_FAILED (docs/runner.md).")
  public String outcome;

  @JsonPropertyDescription("The Flyway version the runner used.")
  public String flywayVersion;

  @JsonPropertyDescription("Schema version before migrate; absent for an empty schema.")
  public String schemaVersionBefore;

  @JsonPropertyDescription("Schema version after migrate; absent for an empty schema.")
  public String schemaVersionAfter;

  @JsonPropertyDescription(
      "The runner's exit code, from its report or, without one, from the container (docs/runner.md).")
  public Integer exitCode;

  @JsonPropertyDescription(
      "One line a person can act on. Starts with 'the runner left no report' when there was none.")
  public String message;

  @JsonPropertyDescription("How many scripts were applied; the list below may be shortened.")
  public Integer appliedTotal;

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonPropertyDescription("The scripts this run applied, in order.")
  public List<AppliedMigration> applied = new ArrayList<>();

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonPropertyDescription("The answer of each spec.verify query.")
  public List<VerificationResult> verification = new ArrayList<>();

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AppliedMigration {
    @JsonPropertyDescription("The script's version; absent for a repeatable (R__) script.")
    public String version;

    @JsonPropertyDescription("The script's description, as Flyway reads it from the file name.")
    public String description;

    @JsonPropertyDescription("The script's file name.")
    public String script;

    @JsonPropertyDescription("How long Flyway took to apply it, in milliseconds.")
    public Long executionTimeMs;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class VerificationResult {
    @JsonPropertyDescription("The query's name in spec.verify.")
    public String name;

    @JsonPropertyDescription("Whether the query returned the expected value.")
    public Boolean passed;

    @JsonPropertyDescription("What the query returned.")
    public String actual;
  }
}
