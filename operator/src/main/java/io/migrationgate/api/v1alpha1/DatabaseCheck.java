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

  @JsonPropertyDescription("The plan Job, named for this plan (at most one per plan).")
  public String job;

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

    public String version;
    public String script;
    public Integer checksum;

    public PendingScript() {}

    public PendingScript(String version, String script, Integer checksum) {
      this.version = version;
      this.script = script;
      this.checksum = checksum;
    }
  }
}
