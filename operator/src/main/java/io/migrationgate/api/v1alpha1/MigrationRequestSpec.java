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
@ValidationRule(
    value = "has(self.migrationTargetName) != has(self.database)",
    message = "set exactly one of spec.migrationTargetName (a MigrationTarget the platform registered: kubectl get "
        + "migrationtargets) and spec.database (an inline database, where the installation allows them)")
@ValidationRule(
    value = "!has(self.migrationTargetName) || !has(self.runner) || !has(self.runner.serviceAccountName)",
    message = "spec.runner.serviceAccountName cannot be set with spec.migrationTargetName: a target's Jobs run in the "
        + "operator's namespace, as the identity the platform gives them")
public class MigrationRequestSpec {

  @Required
  @Size(min = 1, max = 128)
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._/:#-]*$")
  @JsonPropertyDescription("Change ticket or work order this migration belongs to, e.g. WO-1234.")
  public String workOrder;

  @Size(max = 2048)
  @JsonPropertyDescription("Why this migration is needed, in the words of the requester.")
  public String reason;

  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("The MigrationTarget to migrate: a database the platform registered, with credentials "
      + "requesters never see (kubectl get migrationtargets). Exactly one of migrationTargetName and database.")
  public String migrationTargetName;

  @JsonPropertyDescription("An inline database and the Secret, in this namespace, holding the migrator's credentials. "
      + "Refused unless the installation enables inline databases (chart value inlineDatabases.enabled, off by "
      + "default): prefer migrationTargetName.")
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
