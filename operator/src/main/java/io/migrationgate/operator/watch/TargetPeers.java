package io.migrationgate.operator.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import io.migrationgate.api.v1alpha1.MigrationTargetStatus;
import io.migrationgate.operator.lifecycle.TargetAddresses;
import io.migrationgate.operator.lifecycle.TargetChecks;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which targets a change concerns. A check Job or its pod concerns the target its annotation names
 * (only the operator creates objects in the runs namespace). A target whose address changed, or
 * that came or went, concerns every target of its new address (they now share it) and every target
 * that warns of a shared address now (it may share it no longer).
 */
public final class TargetPeers implements SecondaryToPrimaryMapper<MigrationTarget> {

  private final Supplier<Stream<MigrationTarget>> targets;
  private final String runsNamespace;

  public TargetPeers(Supplier<Stream<MigrationTarget>> targets, String runsNamespace) {
    this.targets = targets;
    this.runsNamespace = runsNamespace;
  }

  public static Set<ResourceID> checked(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    String target = annotations == null ? null : annotations.get(TargetChecks.TARGET_ANNOTATION);
    return target == null ? Set.of() : Set.of(new ResourceID(target));
  }

  /** Only a change of the URL moves a target's address; status changes concern no peer. */
  public static boolean addressChanged(MigrationTarget now, MigrationTarget before) {
    return !Objects.equals(url(now), url(before));
  }

  @Override
  public Set<ResourceID> toPrimaryResourceIDs(MigrationTarget changed) {
    String address = url(changed) == null ? null : TargetAddresses.address(changed, runsNamespace);
    return targets.get()
        .filter(other -> !other.getMetadata().getName().equals(changed.getMetadata().getName()))
        .filter(other -> warns(other)
            || address != null && url(other) != null && TargetAddresses.address(other, runsNamespace).equals(address))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static boolean warns(MigrationTarget target) {
    return target.getStatus() != null && target.getStatus().conditions.stream()
        .anyMatch(c -> MigrationTargetStatus.DUPLICATE_ADDRESS.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String url(MigrationTarget target) {
    return target.getSpec() == null || target.getSpec().database == null ? null : target.getSpec().database.url;
  }
}
