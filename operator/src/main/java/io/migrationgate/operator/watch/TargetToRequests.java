package io.migrationgate.operator.watch;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A MigrationTarget created, changed or deleted wakes the requests that name it: a request waiting
 * for its target goes on, one whose target turned production or stopped admitting its namespace
 * stops before it launches.
 */
public final class TargetToRequests
    implements SecondaryToPrimaryMapper<MigrationTarget>, PrimaryToSecondaryMapper<MigrationRequest> {

  private final Supplier<Stream<MigrationRequest>> requests;

  /** {@code requests} lists the cached requests. */
  public TargetToRequests(Supplier<Stream<MigrationRequest>> requests) {
    this.requests = requests;
  }

  @Override
  public Set<ResourceID> toPrimaryResourceIDs(MigrationTarget target) {
    String name = target.getMetadata().getName();
    return requests.get()
        .filter(r -> r.getSpec() != null && Objects.equals(name, r.getSpec().migrationTargetName))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  @Override
  public Set<ResourceID> toSecondaryResourceIDs(MigrationRequest request) {
    String name = request.getSpec() == null ? null : request.getSpec().migrationTargetName;
    return name == null ? Set.of() : Set.of(new ResourceID(name));
  }
}
