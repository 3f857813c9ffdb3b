package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RunPlacementTest {

  private final RunPlacement placement = new RunPlacement("migration-gate");

  @Test
  void withoutInlineDatabasesTheOperatorsObjectsAreOnlyInTheRunsNamespace() {
    assertThat(placement.ownedObjectNamespaces(Set.of(), false)).containsExactly("migration-gate");
    assertThat(placement.ownedObjectNamespaces(Set.of("team-a", "team-b"), false)).containsExactly("migration-gate");
  }

  @Test
  void inlineDatabasesPutThemBesideTheirRequestsToo() {
    assertThat(placement.ownedObjectNamespaces(Set.of(), true)).as("every namespace").isEmpty();
    assertThat(placement.ownedObjectNamespaces(Set.of("team-a"), true))
        .containsExactlyInAnyOrder("team-a", "migration-gate");
  }

  @Test
  void withoutARunsNamespaceTheWatchedNamespacesHoldThem() {
    RunPlacement inlineOnly = new RunPlacement(null);
    assertThat(inlineOnly.ownedObjectNamespaces(Set.of("team-a"), true)).containsExactly("team-a");
    assertThat(inlineOnly.ownedObjectNamespaces(Set.of(), true)).isEmpty();
  }
}
