package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * Publishes the generated CRDs to crds/ and the chart. The generator orders printer columns by
 * JSON path; kubectl shows them in CRD order, and people read Phase first, so the published CRDs
 * list them in the orders below. Run by {@code ./mvnw -B -Pupdate-crds process-test-classes}.
 */
public final class CrdPublisher {

  /** One published CRD: the generator's file (named after apiextensions.k8s.io/v1, which reads as if the API were v1), ours, the type and its column order. */
  record Kind(String generated, String file, Class<?> type, List<String> columnOrder) {}

  static final Kind REQUESTS = new Kind("migrationrequests.migrationgate.io-v1.yml", "migrationrequests.migrationgate.io.yaml",
      MigrationRequest.class, List.of(
          "Phase", "Ready", "Reason", "Approver", "Age", "Database", "Now At", "Pending", "Risk", "Target", "Schema After",
          "Job"));
  static final Kind TARGETS = new Kind("migrationtargets.migrationgate.io-v1.yml", "migrationtargets.migrationgate.io.yaml",
      MigrationTarget.class, List.of("URL", "Production", "Secret", "Age"));
  static final List<Kind> KINDS = List.of(REQUESTS, TARGETS);

  private CrdPublisher() {}

  /** Where a CRD is published, relative to the operator module. */
  static List<Path> published(Path module, Kind kind) {
    return List.of(module.resolve("../crds").resolve(kind.file()),
        module.resolve("../helm/migration-gate/crds").resolve(kind.file()));
  }

  static String publishedCrd(Path module, Kind kind) throws IOException {
    Path generated = module.resolve("target/classes/META-INF/fabric8").resolve(kind.generated());
    CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(generated), CustomResourceDefinition.class);
    crd.getSpec().getVersions().forEach(v -> v.getAdditionalPrinterColumns()
        .sort(Comparator.comparing((CustomResourceColumnDefinition c) -> kind.columnOrder().indexOf(c.getName()))));
    // The generator describes fields, never the type itself, which `kubectl explain` shows first.
    String description = kind.type().getAnnotation(JsonClassDescription.class).value();
    crd.getSpec().getVersions().forEach(v -> v.getSchema().getOpenAPIV3Schema().setDescription(description));
    return "# Generated from io.migrationgate.api.v1alpha1 by ./mvnw -B -Pupdate-crds process-test-classes; do not edit.\n"
        + Serialization.asYaml(crd);
  }

  /** Argument: the operator module's directory. */
  public static void main(String[] args) throws IOException {
    Path module = Path.of(args[0]);
    for (Kind kind : KINDS) {
      String crd = publishedCrd(module, kind);
      for (Path target : published(module, kind)) {
        Files.createDirectories(target.getParent());
        Files.writeString(target, crd);
        System.out.println("wrote " + target.normalize());
      }
    }
  }
}
