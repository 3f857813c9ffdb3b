package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.contract.ScriptsDigest;
import io.migrationgate.operator.Requests;
import org.junit.jupiter.api.Test;

/** The plan's copy of the scripts: what makes the launch gate trust it later. */
class SnapshotFactoryTest {

  @Test
  void theSnapshotIsAnImmutableCopyUnderARandomNameControlledByTheRequest() {
    MigrationRequest r = Requests.request("staging", "orders");
    r.getMetadata().setUid("uid-1");
    ConfigMap source = Requests.scripts("staging");

    ConfigMap snapshot = SnapshotFactory.snapshotOf(r, source, new RunPlacement("migration-gate"));

    assertThat(snapshot.getImmutable()).isTrue();
    assertThat(snapshot.getData()).isEqualTo(source.getData());
    assertThat(ConfigMapDigest.of(snapshot)).isEqualTo(ScriptsDigest.of(Requests.SCRIPTS));
    assertThat(snapshot.getMetadata().getName()).as("a name known in advance could be taken first").isNull();
    assertThat(snapshot.getMetadata().getGenerateName()).isEqualTo(ResourceNames.snapshotPrefix(r));
    assertThat(snapshot.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(owner -> {
          assertThat(owner.getUid()).isEqualTo("uid-1");
          assertThat(owner.getController()).isTrue();
        });
    assertThat(snapshot.getMetadata().getLabels()).containsEntry(OwnedLabels.COMPONENT_KEY, "plan");
  }
}
