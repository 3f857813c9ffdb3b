package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** What a MigrationRecord keeps of a request: copied from its status when it ended, never from its annotations. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecordContent {

  @JsonPropertyDescription("The request this record is of.")
  public Request request;

  @JsonPropertyDescription("The latched approval: who requested, who approved which plan digest, and when.")
  public ApprovalStatus approval;

  @JsonPropertyDescription("What was approved.")
  public Plan plan;

  @JsonPropertyDescription("The run Job; absent when the request ended before one was created.")
  public Job job;

  @JsonPropertyDescription("How the request ended.")
  public Outcome outcome;

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonPropertyDescription("The evidence ConfigMaps status pinned: the plan's and the run's, with their uids and digests.")
  public List<Evidence> evidence = new ArrayList<>();

  @JsonPropertyDescription("When the operator wrote this record (UTC, whole seconds).")
  public String recordedAt;

  @JsonPropertyDescription("After this time (UTC) the operator's sweep deletes the record: recordedAt plus the retention.")
  public String retainUntil;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Request {
    @JsonPropertyDescription("The request's namespace.")
    public String namespace;

    @JsonPropertyDescription("The request's name.")
    public String name;

    @JsonPropertyDescription("The request's uid; the record's name.")
    public String uid;

    @JsonPropertyDescription("spec.workOrder.")
    public String workOrder;

    @JsonPropertyDescription("The request's creation timestamp.")
    public String createdAt;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Plan {
    @JsonPropertyDescription("status.plan.digest: what approved-digest pinned.")
    public String digest;

    @JsonPropertyDescription("status.plan.scriptsDigest.")
    public String scriptsDigest;

    @JsonPropertyDescription("uid of the scripts' snapshot ConfigMap the Job mounted; absent for an image source.")
    public String snapshotUid;

    @JsonPropertyDescription("Where the scripts ran: host:port[,host:port]/database, never credentials.")
    public String database;

    @JsonPropertyDescription("The review's risk level (none, low, high, destructive); absent for a scripts-only plan.")
    public String riskLevel;

    @JsonPropertyDescription("When the plan was recorded.")
    public String recordedAt;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Job {
    @JsonPropertyDescription("The Job's name.")
    public String name;

    @JsonPropertyDescription("The Job's uid.")
    public String uid;

    @JsonPropertyDescription("The Job's creation timestamp.")
    public String createdAt;

    @JsonPropertyDescription("The Job's status.startTime.")
    public String startedAt;

    @JsonPropertyDescription("When the Job completed or failed, or when the operator saw it end.")
    public String finishedAt;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Outcome {
    @JsonPropertyDescription("The request's final phase: Succeeded, Failed or Rejected.")
    public String phase;

    @JsonPropertyDescription("The Ready condition's reason.")
    public String reason;

    @JsonPropertyDescription("The Ready condition's message.")
    public String message;

    @JsonPropertyDescription("The runner's outcome (status.result.outcome), when the runner reported one.")
    public String runnerOutcome;

    @JsonPropertyDescription("The runner's exit code.")
    public Integer exitCode;

    @JsonPropertyDescription("Schema version before migrate.")
    public String schemaVersionBefore;

    @JsonPropertyDescription("Schema version after migrate.")
    public String schemaVersionAfter;

    @JsonPropertyDescription("When the request ended: the Job's end, else when the final phase was recorded.")
    public String finishedAt;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Evidence {
    @JsonPropertyDescription("run (status.evidence) or plan (status.plan.check.evidence).")
    public String kind;

    @JsonPropertyDescription("The evidence ConfigMap's namespace/name.")
    public String configMap;

    @JsonPropertyDescription("Its uid, as status recorded it.")
    public String uid;

    @JsonPropertyDescription("sha256 of its data as the operator wrote it (docs/evidence.md).")
    public String digest;
  }
}
