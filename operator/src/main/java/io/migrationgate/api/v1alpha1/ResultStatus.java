package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResultStatus {

  @JsonPropertyDescription("The runner's outcome, e.g. SUCCEEDED or MIGRATION_FAILED (docs/runner.md).")
  public String outcome;

  public String flywayVersion;
  public String schemaVersionBefore;
  public String schemaVersionAfter;
  public Integer exitCode;
  public String message;

  @JsonPropertyDescription("How many scripts were applied; the list below may be shortened.")
  public Integer appliedTotal;

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public List<AppliedMigration> applied = new ArrayList<>();

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public List<VerificationResult> verification = new ArrayList<>();

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AppliedMigration {
    public String version;
    public String description;
    public String script;
    public Long executionTimeMs;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class VerificationResult {
    public String name;
    public Boolean passed;
    public String actual;
  }
}
