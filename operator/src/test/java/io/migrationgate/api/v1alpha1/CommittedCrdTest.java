package io.migrationgate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CRD users install is the one the model generates: the build fails when a copy is stale. */
class CommittedCrdTest {

  private static final Path MODULE = Path.of("");

  @Test
  void committedCrdsMatchTheGeneratedOne() throws IOException {
    String expected = CrdPublisher.publishedCrd(MODULE);
    for (Path committed : CrdPublisher.published(MODULE)) {
      assertThat(committed).as("%s is missing: run ./mvnw -B -Pupdate-crds process-test-classes", committed).exists();
      assertThat(Files.readString(committed))
          .as("%s is stale: run ./mvnw -B -Pupdate-crds process-test-classes and commit the result", committed)
          .isEqualTo(expected);
    }
  }

  @Test
  void kubectlShowsPhaseReadyReasonApproverAgeAndMoreUnderWide() throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(CrdPublisher.publishedCrd(MODULE), CustomResourceDefinition.class);
    List<CustomResourceColumnDefinition> columns = crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns();
    assertThat(columns).filteredOn(c -> c.getPriority() == 0).extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Phase", "Ready", "Reason", "Approver", "Age");
    assertThat(columns).filteredOn(c -> c.getPriority() == 1).extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Database", "Now At", "Pending", "Target", "Schema After", "Job");
    assertThat(columns).extracting(CustomResourceColumnDefinition::getName)
        .as("-o wide keeps the default columns first").startsWith("Phase", "Ready", "Reason", "Approver", "Age");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("mr", "migreq");
    assertThat(crd.getSpec().getVersions().get(0).getSubresources().getStatus()).isNotNull();
  }
}
