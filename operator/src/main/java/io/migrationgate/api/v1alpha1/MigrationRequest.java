package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

@Group(MigrationRequest.GROUP)
@Version(MigrationRequest.VERSION)
@Kind("MigrationRequest")
@Plural("migrationrequests")
@Singular("migrationrequest")
@ShortNames({"mr", "migreq"})
// `kubectl get migrationgate` lists every kind of the project, today this one.
@Categories("migrationgate")
@JsonClassDescription(
    "One Flyway migration of one database, run only after a person approved its plan. The operator snapshots "
        + "the scripts, shows the plan and its digest in status, waits for the annotation "
        + "migrationgate.io/approved-by, then runs exactly one Job and records the result and the evidence. The "
        + "spec is immutable: a new migration is a new MigrationRequest.")
// The generator sorts printer columns by JSON path; CrdPublisher puts them in reading order.
// Ready and Reason are the Ready condition's, so `kubectl get mr` says why a request is not done;
// priority 1 shows under `-o wide` only.
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Approver", jsonPath = ".status.approval.approvedBy", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Database", jsonPath = ".status.plan.database.address",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Now At", jsonPath = ".status.plan.check.currentVersion",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Pending", jsonPath = ".status.plan.check.pendingTotal",
    type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "Risk", jsonPath = ".status.plan.risk.level",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Target", jsonPath = ".spec.target", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Schema After", jsonPath = ".status.result.schemaVersionAfter",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Job", jsonPath = ".status.job.name", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
public class MigrationRequest extends CustomResource<MigrationRequestSpec, MigrationRequestStatus>
    implements Namespaced {

  public static final String GROUP = "migrationgate.io";
  public static final String VERSION = "v1alpha1";

  // Overridden for their descriptions only: CustomResource declares the two fields without any.
  @Override
  @JsonPropertyDescription(
      "What to migrate, where, and why; immutable once created. Approvers review it with the plan in status.")
  public MigrationRequestSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Written by the operator only (the chart's status policy refuses everyone else): the plan, the latched "
          + "approval, the Job, the result, the evidence, the phase and the conditions.")
  public MigrationRequestStatus getStatus() {
    return super.getStatus();
  }

  @Override
  protected MigrationRequestStatus initStatus() {
    return new MigrationRequestStatus();
  }
}
