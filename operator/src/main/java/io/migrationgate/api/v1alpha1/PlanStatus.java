package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlanStatus {

  @JsonPropertyDescription(
      "The digest approved-digest pins: the scripts' digest, combined with the planned database state "
          + "when the database was consulted (check.state) and the review's digest (risk.digest).")
  public String digest;

  @JsonPropertyDescription("sha256 over the sorted script names and contents, or the image digest.")
  public String scriptsDigest;

  @JsonPropertyDescription("What the read-only plan Job found in the database, or that it was not consulted.")
  public DatabaseCheck check;

  @JsonPropertyDescription(
      "What the pending scripts will do, as the plan Job's review found it; absent for a scripts-only plan.")
  public PlanRisk risk;

  @JsonPropertyDescription("The immutable ConfigMap the Job mounts; absent for an image source.")
  public String snapshot;

  @JsonPropertyDescription(
      "uid of the snapshot ConfigMap, recorded when the operator created it: the only snapshot a Job may mount.")
  public String snapshotUid;

  @JsonPropertyDescription("When the plan was recorded.")
  public String recordedAt;

  @JsonPropertyDescription(
      "The approved-by value already present when the plan was recorded. It approves nothing "
          + "unless approved-digest pins this plan; remove and set approved-by again to approve.")
  public String approvalBeforePlan;

  @JsonPropertyDescription(
      "Where the scripts will run, read from the target's URL (or spec.database.url): hosts, port, database and "
          + "parameters; never credentials.")
  public PlannedDatabase database;

  @JsonPropertyDescription("The MigrationTarget the plan was made for, as it was then; absent for an inline database.")
  public PlannedTarget target;

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonPropertyDescription(
      "Each script in the order Flyway runs them (versioned by version, then repeatable); empty for an image "
          + "source, which the operator does not look inside.")
  public List<PlannedScript> scripts = new ArrayList<>();
}
