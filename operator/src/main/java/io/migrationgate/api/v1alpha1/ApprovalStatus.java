package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The latched approval: once written it is never cleared, whatever happens to the annotations. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApprovalStatus {

  @JsonPropertyDescription("Who approved: the approvers' user names, comma-separated (approved-by first, then in the order of their "
      + "approval annotations' keys).")
  public String approvedBy;

  @JsonPropertyDescription(
      "The requested-by annotation at latch time; an approval latches only when it is present and names someone "
          + "other than approvedBy.")
  public String requestedBy;

  @JsonPropertyDescription("When the approval was latched (UTC, whole seconds).")
  public String recordedAt;

  @JsonPropertyDescription("The plan digest that was approved; always equal to plan.digest.")
  public String digest;

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonPropertyDescription("Each approver that counted, one entry per person (absent for an approval by approved-by "
      + "alone).")
  public List<String> approvers = new ArrayList<>();

  @JsonPropertyDescription("How many distinct approvers the plan's rule required.")
  public Integer required;
}
