package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.migrationgate.contract.Durations;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrationTargetSpec {

  @Required
  @JsonPropertyDescription("The database: JDBC URL (the same allow-list as an inline database) and the Secret, in the "
      + "operator's namespace, with the migrator's username and password.")
  public DatabaseSpec database;

  @Required
  @JsonPropertyDescription("Whether this is a production database. Migration Gate never runs against production: "
      + "every request naming a production target is refused, at admission and by the operator, whatever its "
      + "namespace.")
  public Boolean production;

  @Required
  @SchemaFrom(type = KubernetesTypes.LabelSelector.class)
  @JsonPropertyDescription("The namespaces whose requests may use this target, by their labels. An empty selector ({}) "
      + "admits every namespace; a request from a namespace it does not admit is refused (TargetNotAllowed).")
  public LabelSelector namespaceSelector;

  @Size(max = 32)
  @Pattern(Durations.PATTERN)
  @ValidationRule(value = "duration(self) >= duration('1s') && duration(self) <= duration('720h')",
      message = "approvalExpiresAfter must be between 1s and 720h (30 days), written like 4h or 30m")
  @JsonPropertyDescription("How long an approval stays good before its run starts, counted from when the operator "
      + "first saw it (status.approval.recordedAt, the operator's own clock), e.g. 4h. An approval not used by then "
      + "is void: the request plans again and waits for a fresh approval (ApprovalExpired). Absent: approvals do not "
      + "expire. Part of the plan's copy of the target: changing it after a plan stops that request (TargetChanged).")
  public String approvalExpiresAfter;

  @Size(min = 1, max = 32)
  @JsonPropertyDescription("When approved runs may start: a run starts only inside one of these weekly windows; "
      + "outside them an approved request waits as Queued (OutsideMaintenanceWindow) with the next window's start. "
      + "A run that started inside a window is not stopped when it closes. Absent: runs start at any time. Part of "
      + "the plan's copy of the target: changing it after a plan stops that request (TargetChanged).")
  public List<MaintenanceWindow> maintenanceWindows;

  @JsonPropertyDescription("The approval rule: how many distinct people approve, who may, and how that follows the "
      + "plan's risk (docs/approvals.md, \"Approval rules\"). Absent: one approver, as without a rule.")
  public ApprovalRules approvals;
}
