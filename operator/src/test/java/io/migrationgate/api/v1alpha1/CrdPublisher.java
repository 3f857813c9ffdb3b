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
 * list them in the order below. Run by {@code ./mvnw -B -Pupdate-crds process-test-classes}.
 */
public final class CrdPublisher {

  /** One CRD: the type it is generated from, its file name, and its printer columns in reading order. */
  record Crd(Class<?> type, String plural, List<String> columnOrder) {
    /** fabric8 names its output after apiextensions.k8s.io/v1, which reads as if the API were v1. */
    String generated() {
      return plural + "." + MigrationRequest.GROUP + "-v1.yml";
    }

    String file() {
      return plural + "." + MigrationRequest.GROUP + ".yaml";
    }
  }

  static final Crd REQUESTS = new Crd(MigrationRequest.class, "migrationrequests", List.of(
      "Phase", "Ready", "Reason", "Approver", "Age", "Database", "Now At", "Pending", "Risk", "Target", "Schema After", "Job"));
  static final Crd RECORDS = new Crd(MigrationRecord.class, "migrationrecords", List.of(
      "Namespace", "Request", "Work Order", "Requester", "Approver", "Outcome", "Finished"));
  static final Crd TARGETS = new Crd(MigrationTarget.class, "migrationtargets", List.of("URL", "Production", "Secret", "Age"));
  static final List<Crd> ALL = List.of(REQUESTS, TARGETS, RECORDS);

  private CrdPublisher() {}

  /** The directories the CRDs are published to, relative to the operator module. */
  static List<Path> directories(Path module) {
    return List.of(module.resolve("../crds"), module.resolve("../helm/migration-gate/crds"));
  }

  /** Where the MigrationRequest CRD is published. */
  static List<Path> published(Path module) {
    return directories(module).stream().map(d -> d.resolve(REQUESTS.file())).toList();
  }

  static String publishedCrd(Path module) throws IOException {
    return publishedCrd(module, REQUESTS);
  }

  static String publishedCrd(Path module, Crd which) throws IOException {
    Path generated = module.resolve("target/classes/META-INF/fabric8").resolve(which.generated());
    CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(generated), CustomResourceDefinition.class);
    crd.getSpec().getVersions().forEach(v -> v.getAdditionalPrinterColumns()
        .sort(Comparator.comparing((CustomResourceColumnDefinition c) -> which.columnOrder().indexOf(c.getName()))));
    // The generator describes fields, never the type itself, which `kubectl explain` shows first.
    String description = which.type().getAnnotation(JsonClassDescription.class).value();
    crd.getSpec().getVersions().forEach(v -> v.getSchema().getOpenAPIV3Schema().setDescription(description));
    // A type without status (Void) still gets an empty status object from the generator, undescribed.
    if (crd.getSpec().getVersions().stream().allMatch(v -> v.getSubresources() == null)) {
      crd.getSpec().getVersions().forEach(v -> v.getSchema().getOpenAPIV3Schema().getProperties().remove("status"));
    }
    return "# Generated from io.migrationgate.api.v1alpha1 by ./mvnw -B -Pupdate-crds process-test-classes; do not edit.\n"
        + Serialization.asYaml(crd);
  }

  /** Argument: the operator module's directory. */
  public static void main(String[] args) throws IOException {
    Path module = Path.of(args[0]);
    for (Crd which : ALL) {
      String crd = publishedCrd(module, which);
      for (Path directory : directories(module)) {
        Path target = directory.resolve(which.file());
        Files.createDirectories(directory);
        Files.writeString(target, crd);
        System.out.println("wrote " + target.normalize());
      }
    }
  }
}
