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
 * Publishes the generated CRD to crds/ and the chart. The generator orders printer columns by
 * JSON path; kubectl shows them in CRD order, and people read Phase first, so the published CRD
 * lists them in the order below. Run by {@code ./mvnw -B -Pupdate-crds process-test-classes}.
 */
public final class CrdPublisher {

  /** fabric8 names its output after apiextensions.k8s.io/v1, which reads as if the API were v1. */
  private static final String GENERATED = "migrationrequests.migrationgate.io-v1.yml";
  static final String FILE = "migrationrequests.migrationgate.io.yaml";
  private static final List<String> COLUMN_ORDER = List.of(
      "Phase", "Ready", "Reason", "Approver", "Age", "Database", "Now At", "Pending", "Risk", "Target", "Schema After", "Job");

  private CrdPublisher() {}

  /** Where the CRD is published, relative to the operator module. */
  static List<Path> published(Path module) {
    return List.of(module.resolve("../crds").resolve(FILE), module.resolve("../helm/migration-gate/crds").resolve(FILE));
  }

  static String publishedCrd(Path module) throws IOException {
    Path generated = module.resolve("target/classes/META-INF/fabric8").resolve(GENERATED);
    CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(generated), CustomResourceDefinition.class);
    crd.getSpec().getVersions().forEach(v -> v.getAdditionalPrinterColumns()
        .sort(Comparator.comparing((CustomResourceColumnDefinition c) -> COLUMN_ORDER.indexOf(c.getName()))));
    // The generator describes fields, never the type itself, which `kubectl explain mr` shows first.
    String description = MigrationRequest.class.getAnnotation(JsonClassDescription.class).value();
    crd.getSpec().getVersions().forEach(v -> v.getSchema().getOpenAPIV3Schema().setDescription(description));
    return "# Generated from io.migrationgate.api.v1alpha1 by ./mvnw -B -Pupdate-crds process-test-classes; do not edit.\n"
        + Serialization.asYaml(crd);
  }

  /** Argument: the operator module's directory. */
  public static void main(String[] args) throws IOException {
    Path module = Path.of(args[0]);
    String crd = publishedCrd(module);
    for (Path target : published(module)) {
      Files.createDirectories(target.getParent());
      Files.writeString(target, crd);
      System.out.println("wrote " + target.normalize());
    }
  }
}
