package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** What a read-only plan Job found in the database before approval (status.plan.check). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseCheck {

  public static final String DATABASE = "Database";
  public static final String SCRIPTS_ONLY = "ScriptsOnly";

  @JsonPropertyDescription(
      "Database: a plan Job read the database before approval. ScriptsOnly: the database was not consulted "
          + "(spec.connectBeforeApproval is false, or the operator's database plan is off).")
  public String mode;

  @JsonPropertyDescription(
      "The plan Job of this attempt, written before the Job is created (the plan's launch marker); absent while "
          + "the request waits for a plan Job slot.")
  public String job;

  @JsonPropertyDescription(
      "A random token written with the plan's launch marker and carried in the plan Job's pod template "
          + "(annotation migrationgate.io/launch-token): only a Job with it is taken as the operator's own.")
  public String launchToken;

  @JsonPropertyDescription("Which attempt at reading the database this is, from 1; a transient failure starts the next.")
  public Integer attempt;

  @JsonPropertyDescription("When the next attempt may start, after a transient failure (the operator's clock).")
  public String retryAt;

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonPropertyDescription("Earlier attempts that failed for a transient reason, oldest first.")
  public List<FailedAttempt> failedAttempts = new ArrayList<>();

  @JsonPropertyDescription("uid of the plan Job, recorded when the operator created it.")
  public String jobUid;

  @JsonPropertyDescription("How many times a fresh plan was asked for (annotation migrationgate.io/replan).")
  public Integer replans;

  @JsonPropertyDescription("The migrationgate.io/replan value this plan answers.")
  public String replanToken;

  @JsonPropertyDescription("Database product and version, as the driver reports them.")
  public String product;

  @JsonPropertyDescription("Schema version before the run; absent when nothing is applied yet.")
  public String currentVersion;

  @JsonPropertyDescription(
      "The planned database state: current version and a digest of the applied history. The run "
          + "applies nothing unless the database is still in this state (else PlanStale).")
  public String state;

  @JsonPropertyDescription("How many migrations will be applied.")
  public Integer pendingTotal;

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonPropertyDescription("The migrations that will be applied, in order (shortened when long: see pendingTotal).")
  public List<PendingScript> pending = new ArrayList<>();

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonPropertyDescription("What Flyway's validate found: checksum drift, failed or missing migrations.")
  public List<String> findings = new ArrayList<>();

  @JsonPropertyDescription("When the plan Job read the database.")
  public String checkedAt;

  @JsonPropertyDescription("The evidence ConfigMap holding the plan Job's full report, or why there is none.")
  public EvidenceStatus evidence;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PendingScript {

    @JsonPropertyDescription("The migration's version; absent for a repeatable (R__) script.")
    public String version;

    @JsonPropertyDescription("The script's file name.")
    public String script;

    @JsonPropertyDescription("Flyway's checksum of the script, as it will be recorded in the history table.")
    public Integer checksum;

    public PendingScript() {}

    public PendingScript(String version, String script, Integer checksum) {
      this.version = version;
      this.script = script;
      this.checksum = checksum;
    }
  }

  /** An attempt at reading the database that failed for a reason that may pass by itself. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class FailedAttempt {

    @JsonPropertyDescription("The plan Job of that attempt.")
    public String job;

    @JsonPropertyDescription("Why it failed, as a condition reason (DatabaseUnreachable, ReportMissing, ...).")
    public String reason;

    @JsonPropertyDescription("What it said.")
    public String message;

    @JsonPropertyDescription("The evidence ConfigMap holding its report, or why there is none.")
    public EvidenceStatus evidence;

    public FailedAttempt() {}

    public FailedAttempt(String job, String reason, String message, EvidenceStatus evidence) {
      this.job = job;
      this.reason = reason;
      this.message = message;
      this.evidence = evidence;
    }
  }
}
