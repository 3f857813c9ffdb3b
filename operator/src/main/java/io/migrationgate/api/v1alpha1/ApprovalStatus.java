package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * The latched approval: the annotations never change it once written; only a fresh plan or its
 * expiry (unused within the target's approvalExpiresAfter) clears it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApprovalStatus {

  @JsonPropertyDescription("Who approved: the approvers' user names, comma-separated (approved-by first, then in the order of their "
      + "approval annotations' keys).")
  public String approvedBy;

  @JsonPropertyDescription(
      "The requested-by annotation at latch time; an approval latches only when it is present and names someone "
          + "other than approvedBy.")
  public String requestedBy;

  @JsonPropertyDescription("When the operator first saw and latched the approval, by its own clock (UTC, whole seconds): "
      + "approvalExpiresAfter counts from here.")
  public String recordedAt;

  @JsonPropertyDescription("When this approval is void unless its run has started: recordedAt plus the planned "
      + "target's approvalExpiresAfter, for people to read; the operator computes it again from those two. Absent: "
      + "it does not expire.")
  public String expiresAt;

  @JsonPropertyDescription("The plan digest that was approved; always equal to plan.digest.")
  public String digest;

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonPropertyDescription("Each approver that counted, one entry per person (absent for an approval by approved-by "
      + "alone).")
  public List<String> approvers = new ArrayList<>();

  @JsonPropertyDescription("How many distinct approvers the plan's rule required.")
  public Integer required;
}
