package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrationRequestStatus {

  public Phase phase;

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  public Long observedGeneration;

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public List<Condition> conditions = new ArrayList<>();

  public PlanStatus plan;

  public ApprovalStatus approval;

  public QueueStatus queue;

  public JobStatus job;

  public ResultStatus result;

  public EvidenceStatus evidence;
}
