package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.migrationgate.contract.Durations;
import io.migrationgate.contract.VerifyQuery;
import io.migrationgate.contract.Versions;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self == oldSelf",
    message = "spec is immutable: create a new MigrationRequest for a different migration",
    reason = "FieldValueForbidden")
public class MigrationRequestSpec {

  @Required
  @Size(min = 1, max = 128)
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._/:#-]*$")
  @JsonPropertyDescription("Change ticket or work order this migration belongs to, e.g. WO-1234.")
  public String workOrder;

  @Size(max = 2048)
  @JsonPropertyDescription("Why this migration is needed, in the words of the requester.")
  public String reason;

  @Required
  @JsonPropertyDescription("The database to migrate and the Secret holding the migrator's credentials.")
  public DatabaseSpec database;

  @Required
  @JsonPropertyDescription("Where the Flyway scripts come from: exactly one of configMap or image.")
  public MigrationSource migrations;

  @Pattern(Versions.TARGET_PATTERN)
  @JsonPropertyDescription("Flyway target: 'latest' (default) or a version such as '5' or '2.1'.")
  public String target;

  @JsonPropertyDescription("Flyway settings. 'clean' is never run, whatever is set here.")
  public FlywaySpec flyway;

  @Size(max = 20)
  @ValidationRule(
      value = VerifyQuery.UNIQUE_NAMES_RULE,
      message = "verify query names must be unique")
  @JsonPropertyDescription("Read-only queries run after migrate; a wrong answer fails the request.")
  public List<VerifySpec> verify;

  @JsonPropertyDescription("How to undo this migration by hand; recorded with the plan.")
  public RollbackSpec rollback;

  @Pattern(Durations.PATTERN)
  @ValidationRule(value = Durations.JOB_TIMEOUT_RULE, message = "timeout " + Durations.JOB_TIMEOUT_BOUNDS + ", e.g. 15m")
  @JsonPropertyDescription("How long the Job may run (activeDeadlineSeconds), e.g. 15m; 1m to 24h.")
  public String timeout;

  @JsonPropertyDescription("Pod settings for the runner Job.")
  public RunnerSpec runner;

  @JsonPropertyDescription(
      "Whether a read-only plan Job may connect before approval to show what will be applied (default "
          + "true). False for teams whose policy forbids any connection before approval: the plan is then "
          + "the scripts alone.")
  public Boolean connectBeforeApproval;
}
