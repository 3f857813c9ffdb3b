package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;

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

  @JsonPropertyDescription("The approval rule: how many distinct people approve, who may, and how that follows the "
      + "plan's risk (docs/approvals.md, \"Approval rules\"). Absent: one approver, as without a rule.")
  public ApprovalRules approvals;
}
