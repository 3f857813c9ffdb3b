package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.migrationgate.api.v1alpha1.MigrationRequest;

/**
 * The plan's copy of the scripts: an immutable ConfigMap the request controls. The runner mounts
 * the copy, never the source, so editing the source after approval changes nothing that runs.
 */
public final class SnapshotFactory {

  /** The snapshot's component label. */
  public static final String COMPONENT = "plan";

  private SnapshotFactory() {}

  /** A random name (generateName): a name known in advance could be taken first by someone else. */
  public static ConfigMap snapshotOf(MigrationRequest request, ConfigMap source, RunPlacement placement) {
    return new ConfigMapBuilder()
        .withMetadata(OwnedLabels.metadata(request, COMPONENT, placement)
            .withGenerateName(ResourceNames.snapshotPrefix(request))
            .build())
        .withImmutable(true)
        .withData(source.getData())
        .build();
  }
}
