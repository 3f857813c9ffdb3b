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
    for (CrdPublisher.Crd which : CrdPublisher.ALL) {
      String expected = CrdPublisher.publishedCrd(MODULE, which);
      for (Path directory : CrdPublisher.directories(MODULE)) {
        Path committed = directory.resolve(which.file());
        assertThat(committed).as("%s is missing: run ./mvnw -B -Pupdate-crds process-test-classes", committed).exists();
        assertThat(Files.readString(committed))
            .as("%s is stale: run ./mvnw -B -Pupdate-crds process-test-classes and commit the result", committed)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void eachCrdDirectoryHoldsOnlyThePublishedCrds() throws IOException {
    for (Path directory : CrdPublisher.directories(MODULE)) {
      try (Stream<Path> files = Files.list(directory)) {
        // a CRD left under an old name would be applied too (kubectl apply -f crds/, helm's crds/)
        assertThat(files.map(f -> f.getFileName().toString()))
            .containsExactlyInAnyOrderElementsOf(CrdPublisher.ALL.stream().map(CrdPublisher.Crd::file).toList());
      }
    }
  }

  @Test
  void kubectlExplainDescribesTheTypeAndEveryField() throws IOException {
    Map<String, JSONSchemaProps> requestFields = fields(CrdPublisher.REQUESTS);
    assertThat(requestFields).as("fields found in the schema").containsKeys(".spec.database.url",
        ".status.conditions[].reason", ".spec.runner.tolerations[].key", ".status.plan.check.pending[].script");
    assertThat(fields(CrdPublisher.RECORDS)).as("fields found in the schema")
        .containsKeys(".spec.record.approval.approvedBy", ".spec.envelope.signatures[].sig");
    assertThat(fields(CrdPublisher.TARGETS)).as("fields found in the schema")
        .containsKeys(".spec.namespaceSelector.matchLabels", ".spec.database.credentialsSecret", ".spec.production",
            ".status.conditions[].reason", ".status.lastCheckedAt");
  }

  @Test
  void aTargetIsClusterScopedAndShowsWhetherItIsReachableItsUrlAndWhetherItIsProduction() throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(CrdPublisher.publishedCrd(MODULE, CrdPublisher.TARGETS),
        CustomResourceDefinition.class);
    assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
    assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactlyInAnyOrder("Reachable", "URL", "Production", "Secret", "Age", "Expires", "Windows");
  }

  private static Map<String, JSONSchemaProps> fields(CrdPublisher.Crd which) throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(CrdPublisher.publishedCrd(MODULE, which),
        CustomResourceDefinition.class);
    JSONSchemaProps root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    assertThat(root.getDescription()).as("%s's own description", which.type().getSimpleName()).isNotBlank();
    Map<String, JSONSchemaProps> fields = new TreeMap<>();
    collectFields(root, "", fields);
    assertThat(fields.entrySet()).filteredOn(f -> f.getValue().getDescription() == null || f.getValue().getDescription().isBlank())
        .extracting(Map.Entry::getKey)
        .as("fields of %s without a description: add @JsonPropertyDescription in io.migrationgate.api.v1alpha1 "
            + "(KubernetesTypes for embedded Kubernetes types)", which.type().getSimpleName())
        .isEmpty();
    return fields;
  }

  @Test
  void kubectlGetMigrationgateListsTheKinds() throws IOException {
    for (CrdPublisher.Crd which : CrdPublisher.ALL) {
      CustomResourceDefinition crd = Serialization.unmarshal(CrdPublisher.publishedCrd(MODULE, which),
          CustomResourceDefinition.class);
      assertThat(crd.getSpec().getNames().getCategories()).containsExactly("migrationgate");
    }
  }

  @Test
  void aRecordIsClusterScopedWithoutStatusAndItsSpecNeverChanges() throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(CrdPublisher.publishedCrd(MODULE, CrdPublisher.RECORDS),
        CustomResourceDefinition.class);
    assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
    assertThat(crd.getSpec().getVersions().get(0).getSubresources()).isNull();
    JSONSchemaProps spec = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    assertThat(spec.getXKubernetesValidations()).extracting(v -> v.getRule()).containsExactly("self == oldSelf");
    assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName).containsExactlyElementsOf(CrdPublisher.RECORDS.columnOrder());
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
    CustomResourceDefinition crd = Serialization.unmarshal(CrdPublisher.publishedCrd(MODULE), CustomResourceDefinition.class);
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
