package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * What stays of a request that ran: cluster-scoped and without an owner, so deleting the request
 * (or its namespace) leaves it; written once by the operator, signed, and deleted only by the
 * operator's sweep once its retention is over (docs/evidence.md, "Records").
 */
@Group(MigrationRequest.GROUP)
@Version(MigrationRequest.VERSION)
@Kind("MigrationRecord")
@Plural("migrationrecords")
@Singular("migrationrecord")
@ShortNames({"mrec"})
@Categories("migrationgate")
@JsonClassDescription(
    "The signed record of one MigrationRequest that was approved and ended: who requested, who approved which "
        + "digest, the plan, the Job, the outcome and the evidence digests. Named after the request's uid, "
        + "written once by the operator when the request reached its final phase, never changed, and kept after "
        + "the request is deleted until spec.record.retainUntil. spec.envelope is a DSSE envelope over the same "
        + "content: docs/evidence.md shows how to verify it.")
@AdditionalPrinterColumn(name = "Namespace", jsonPath = ".spec.record.request.namespace",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Request", jsonPath = ".spec.record.request.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Work Order", jsonPath = ".spec.record.request.workOrder",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Requester", jsonPath = ".spec.record.approval.requestedBy", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Approver", jsonPath = ".spec.record.approval.approvedBy",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Outcome", jsonPath = ".spec.record.outcome.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Finished", jsonPath = ".spec.record.outcome.finishedAt",
    type = AdditionalPrinterColumn.Type.STRING)
public class MigrationRecord extends CustomResource<MigrationRecordSpec, Void> {

  // Overridden for its description only: CustomResource declares the field without one.
  @Override
  @JsonPropertyDescription("The record and its signature; immutable once created.")
  public MigrationRecordSpec getSpec() {
    return super.getSpec();
  }
}
