package io.migrationgate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The CRD users install is the one the model generates: the build fails when a copy is stale. */
class CommittedCrdTest {

  private static final Path MODULE = Path.of("");

  @Test
  void committedCrdsMatchTheGeneratedOnes() throws IOException {
    for (CrdPublisher.Kind kind : CrdPublisher.KINDS) {
      String expected = CrdPublisher.publishedCrd(MODULE, kind);
      for (Path committed : CrdPublisher.published(MODULE, kind)) {
        assertThat(committed).as("%s is missing: run ./mvnw -B -Pupdate-crds process-test-classes", committed).exists();
        assertThat(Files.readString(committed))
            .as("%s is stale: run ./mvnw -B -Pupdate-crds process-test-classes and commit the result", committed)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void theCrdDirectoriesHoldOnlyThePublishedCrds() throws IOException {
    for (Path committed : CrdPublisher.published(MODULE, CrdPublisher.REQUESTS)) {
      try (Stream<Path> files = Files.list(committed.getParent())) {
        // a CRD left under an old name would be applied too (kubectl apply -f crds/, helm's crds/)
        assertThat(files.map(f -> f.getFileName().toString()))
            .containsExactlyInAnyOrderElementsOf(CrdPublisher.KINDS.stream().map(CrdPublisher.Kind::file).toList());
      }
    }
  }

  @Test
  void kubectlExplainDescribesEachTypeAndEveryField() throws IOException {
    Map<String, JSONSchemaProps> fields = new TreeMap<>();
    for (CrdPublisher.Kind kind : CrdPublisher.KINDS) {
      CustomResourceDefinition crd = crd(kind);
      JSONSchemaProps root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
      assertThat(root.getDescription()).as("the type's own description").isNotBlank();
      collectFields(root, crd.getSpec().getNames().getKind(), fields);
    }
    assertThat(fields).as("fields found in the schema").containsKeys("MigrationRequest.spec.database.url",
        "MigrationRequest.status.conditions[].reason", "MigrationRequest.spec.runner.tolerations[].key",
        "MigrationRequest.status.plan.check.pending[].script", "MigrationTarget.spec.namespaceSelector.matchLabels",
        "MigrationTarget.spec.database.credentialsSecret");
    assertThat(fields.entrySet()).filteredOn(f -> f.getValue().getDescription() == null || f.getValue().getDescription().isBlank())
        .extracting(Map.Entry::getKey)
        .as("fields without a description: add @JsonPropertyDescription in io.migrationgate.api.v1alpha1 "
            + "(KubernetesTypes for embedded Kubernetes types)")
        .isEmpty();
  }

  @Test
  void kubectlGetMigrationgateListsEachKind() throws IOException {
    for (CrdPublisher.Kind kind : CrdPublisher.KINDS) {
      assertThat(crd(kind).getSpec().getNames().getCategories()).containsExactly("migrationgate");
    }
  }

  @Test
  void aTargetIsClusterScopedAndShowsItsUrlAndWhetherItIsProduction() throws IOException {
    CustomResourceDefinition crd = crd(CrdPublisher.TARGETS);
    assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
    assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName).containsExactly("URL", "Production", "Secret", "Age");
  }

  private static CustomResourceDefinition crd(CrdPublisher.Kind kind) throws IOException {
    return Serialization.unmarshal(CrdPublisher.publishedCrd(MODULE, kind), CustomResourceDefinition.class);
  }

  /** Every property, array item and map value below {@code node}, by its kubectl explain path. */
  private static void collectFields(JSONSchemaProps node, String path, Map<String, JSONSchemaProps> fields) {
    if (node.getProperties() != null) {
      node.getProperties().forEach((name, field) -> {
        fields.put(path + "." + name, field);
        collectFields(field, path + "." + name, fields);
      });
    }
    if (node.getItems() != null && node.getItems().getSchema() != null) {
      collectFields(node.getItems().getSchema(), path + "[]", fields);
    }
    if (node.getAdditionalProperties() != null && node.getAdditionalProperties().getSchema() != null) {
      collectFields(node.getAdditionalProperties().getSchema(), path + "{}", fields);
    }
  }

  @Test
  void kubectlShowsPhaseReadyReasonApproverAgeAndMoreUnderWide() throws IOException {
    CustomResourceDefinition crd = crd(CrdPublisher.REQUESTS);
    List<CustomResourceColumnDefinition> columns = crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns();
    assertThat(columns).filteredOn(c -> c.getPriority() == 0).extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Phase", "Ready", "Reason", "Approver", "Age");
    assertThat(columns).filteredOn(c -> c.getPriority() == 1).extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Database", "Now At", "Pending", "Risk", "Target", "Schema After", "Job");
    assertThat(columns).extracting(CustomResourceColumnDefinition::getName)
        .as("-o wide keeps the default columns first").startsWith("Phase", "Ready", "Reason", "Approver", "Age");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("mr", "migreq");
    assertThat(crd.getSpec().getVersions().get(0).getSubresources().getStatus()).isNotNull();
  }
}
