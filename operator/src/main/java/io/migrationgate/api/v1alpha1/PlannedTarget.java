package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * The MigrationTarget as the plan read it. The Jobs are built from this copy, not from the target
 * as it is later, so what runs is what was approved; a target changed since stops the launch.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlannedTarget {

  @JsonPropertyDescription("The MigrationTarget's name.")
  public String name;

  @JsonPropertyDescription("Where this request's Jobs, pods, snapshot and evidence are: the operator's namespace.")
  public String namespace;

  @JsonPropertyDescription("The MigrationTarget's uid when planned: a target deleted and created again is another one.")
  public String uid;

  @JsonPropertyDescription("The MigrationTarget's metadata.generation when planned: a change after it stops the launch.")
  public Long generation;

  @JsonPropertyDescription("The target's JDBC URL when planned.")
  public String url;

  @JsonPropertyDescription("The credentials Secret in the operator's namespace, by name (never its content).")
  public String credentialsSecret;

  @JsonPropertyDescription("The Secret's key holding the username.")
  public String usernameKey;

  @JsonPropertyDescription("The Secret's key holding the password.")
  public String passwordKey;

  @JsonPropertyDescription("The target's approvalExpiresAfter when planned: how long the approval of this plan stays "
      + "good before its run starts.")
  public String approvalExpiresAfter;

  @JsonPropertyDescription("The target's maintenanceWindows when planned: the run starts only inside one of them.")
  public List<MaintenanceWindow> maintenanceWindows;

  @JsonPropertyDescription("The target's approval rule when planned; the approvals count against this copy.")
  public ApprovalRules approvals;
}
