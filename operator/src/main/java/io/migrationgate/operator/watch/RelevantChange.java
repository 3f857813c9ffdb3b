package io.migrationgate.operator.watch;

import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.migrationgate.api.v1alpha1.Annotations;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code kubectl annotate} does not bump metadata.generation, so generation-aware processing would
 * miss approvals. Event processing is therefore not generation-aware, and this filter lets through
 * the updates that matter: the spec, the decision annotations, finalizers and deletion. The
 * operator's own status writes are not among them.
 */
public final class RelevantChange implements OnUpdateFilter<MigrationRequest> {

  @Override
  public boolean accept(MigrationRequest updated, MigrationRequest previous) {
    return !Objects.equals(updated.getMetadata().getGeneration(), previous.getMetadata().getGeneration())
        || !decisionAnnotations(updated).equals(decisionAnnotations(previous))
        || !Objects.equals(updated.getMetadata().getFinalizers(), previous.getMetadata().getFinalizers())
        || !Objects.equals(updated.getMetadata().getDeletionTimestamp(), previous.getMetadata().getDeletionTimestamp());
  }

  private static Map<String, String> decisionAnnotations(MigrationRequest r) {
    Map<String, String> ours = new TreeMap<>();
    if (r.getMetadata().getAnnotations() != null) {
      r.getMetadata().getAnnotations().forEach((k, v) -> {
        if (k.startsWith(Annotations.PREFIX) || k.startsWith(Annotations.APPROVAL_PREFIX)
            || k.startsWith(Annotations.APPROVAL_GROUP_PREFIX)) {
          ours.put(k, v);
        }
      });
    }
    return ours;
  }
}
