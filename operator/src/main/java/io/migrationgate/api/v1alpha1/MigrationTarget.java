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
 * A database the platform registers for migrations. Cluster-scoped, like a StorageClass or a
 * ClusterIssuer: whoever administers a namespace cannot create, change or delete one, and one
 * target serves the namespaces its selector admits.
 */
@Group(MigrationRequest.GROUP)
@Version(MigrationRequest.VERSION)
@Kind("MigrationTarget")
@Plural("migrationtargets")
@Singular("migrationtarget")
@ShortNames({"mt"})
@Categories("migrationgate")
@JsonClassDescription(
    "A database registered by the platform team for Migration Gate: its JDBC URL, the Secret with the migrator's "
        + "credentials (in the operator's namespace, where requesters have no access), whether it is production "
        + "(then every request naming it is refused) and which namespaces may use it. Requests name it in "
        + "spec.migrationTargetName; their plan and run Jobs run in the operator's namespace.")
@AdditionalPrinterColumn(name = "URL", jsonPath = ".spec.database.url", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Production", jsonPath = ".spec.production", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Secret", jsonPath = ".spec.database.credentialsSecret",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reachable", jsonPath = ".status.conditions[?(@.type==\"Reachable\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Expires", jsonPath = ".spec.approvalExpiresAfter",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
// The local start times only; the days, durations and zones are in -o yaml.
@AdditionalPrinterColumn(name = "Windows", jsonPath = ".spec.maintenanceWindows[*].start",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
// Status says what the operator found about the database (MigrationTargetReconciler alone writes it);
// what it decides about a request is recorded on the request.
public class MigrationTarget extends CustomResource<MigrationTargetSpec, MigrationTargetStatus> {

  @Override
  @JsonPropertyDescription("The database, its credentials, whether it is production and who may use it.")
  public MigrationTargetSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Whether the operator reaches the database, and whether another target names it too.")
  public MigrationTargetStatus getStatus() {
    return super.getStatus();
  }

}
