package io.migrationgate.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
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
// The generator sorts printer columns by JSON path; CrdPublisher puts them in reading order.
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Target", jsonPath = ".spec.target", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Approver", jsonPath = ".status.approval.approvedBy", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
public class MigrationRequest extends CustomResource<MigrationRequestSpec, MigrationRequestStatus>
    implements Namespaced {

  public static final String GROUP = "migrationgate.io";
  public static final String VERSION = "v1alpha1";

  @Override
  protected MigrationRequestStatus initStatus() {
    return new MigrationRequestStatus();
  }
}
