package io.migrationgate.operator.watch;

import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Labelling a namespace production blocks every request in it that has not launched, and removing
 * the label lets them go on: a change of a namespace's labels wakes all its requests. Other changes
 * to a namespace (annotations, status) wake none.
 */
public final class NamespaceToRequests
    implements SecondaryToPrimaryMapper<Namespace>, PrimaryToSecondaryMapper<MigrationRequest>,
        OnUpdateFilter<Namespace> {

  private final Function<String, Stream<MigrationRequest>> requestsIn;

  /** {@code requestsIn} lists the cached requests of a namespace. */
  public NamespaceToRequests(Function<String, Stream<MigrationRequest>> requestsIn) {
    this.requestsIn = requestsIn;
  }

  @Override
  public Set<ResourceID> toPrimaryResourceIDs(Namespace namespace) {
    return requestsIn.apply(namespace.getMetadata().getName())
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  @Override
  public Set<ResourceID> toSecondaryResourceIDs(MigrationRequest request) {
    return Set.of(new ResourceID(request.getMetadata().getNamespace()));
  }

  @Override
  public boolean accept(Namespace updated, Namespace previous) {
    return !Objects.equals(updated.getMetadata().getLabels(), previous.getMetadata().getLabels());
  }
}
