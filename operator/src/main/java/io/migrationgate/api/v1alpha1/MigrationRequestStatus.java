package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrationRequestStatus {

  @JsonPropertyDescription(
      "Where the request stands: Pending, AwaitingApproval, Blocked, Queued, Running, or final Succeeded, "
          + "Failed or Rejected (docs/evidence.md).")
  public Phase phase;

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  public Long observedGeneration;

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @SchemaFrom(type = KubernetesTypes.Condition[].class)
  @JsonPropertyDescription(
      "Planned, Approved, Blocked, Running, Succeeded, Failed and Ready, plus kstatus's Reconciling or Stalled "
          + "while true, and ReconcileError while reconciling fails. Ready's reason and message explain the "
          + "request as a whole. Output only: the operator never reads them back.")
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription(
      "What an approval approves: the snapshot of the scripts, their digests and, with the database plan, what "
          + "the read-only plan Job found in the database.")
  public PlanStatus plan;

  @JsonPropertyDescription("The latched approval: written once and never changed by the annotations; cleared only by a fresh plan "
      + "(migrationgate.io/replan) or when it expires unused (the target's approvalExpiresAfter), then kept in "
      + "expiredApproval.")
  public ApprovalStatus approval;

  @JsonPropertyDescription("The last approval that expired unused (the target's approvalExpiresAfter), kept while the "
      + "approval annotations still name it: they do not count again. Approving anew clears it.")
  public ApprovalStatus expiredApproval;

  @JsonPropertyDescription("Where an approved request stands in its database's line, beyond what its phase says.")
  public QueueStatus queue;

  @JsonPropertyDescription("The one run Job of this request; its name is written before the Job exists.")
  public JobStatus job;

  @JsonPropertyDescription("What the runner reported when the Job was over.")
  public ResultStatus result;

  @JsonPropertyDescription("The evidence ConfigMap of the run, or why it could not be written.")
  public EvidenceStatus evidence;
}
