package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The latched approval: once written it is never cleared, whatever happens to the annotations. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApprovalStatus {

  @JsonPropertyDescription("The approved-by annotation at latch time: the approver's user name.")
  public String approvedBy;

  @JsonPropertyDescription(
      "The requested-by annotation at latch time; an approval latches only when it is present and names someone "
          + "other than approvedBy.")
  public String requestedBy;

  @JsonPropertyDescription("When the approval was latched (UTC, whole seconds).")
  public String recordedAt;

  @JsonPropertyDescription("The plan digest that was approved; always equal to plan.digest.")
  public String digest;
}
