package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResultStatus {

  public String flywayVersion;
  public String schemaVersionBefore;
  public String schemaVersionAfter;
  public Integer exitCode;
  public String message;

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public List<AppliedMigration> applied = new ArrayList<>();

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public List<VerificationResult> verification = new ArrayList<>();

  public static class AppliedMigration {
    public String version;
    public String description;
    public String script;
    public Long executionTimeMs;
  }

  public static class VerificationResult {
    public String name;
    public Boolean passed;
    public String actual;
  }
}
