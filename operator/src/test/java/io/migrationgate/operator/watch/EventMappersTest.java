package io.migrationgate.operator.watch;

import io.migrationgate.operator.lifecycle.RunPlacement;
import io.migrationgate.operator.Requests;
import io.migrationgate.operator.lifecycle.OwnedLabels;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Which requests an event about a pod or a namespace wakes up. */
class EventMappersTest {

  private static Pod pod(Map<String, String> annotations) {
    return new PodBuilder().withNewMetadata().withName("orders-run-x").withNamespace("team")
        .withAnnotations(annotations).endMetadata().build();
  }

  private static Namespace namespace(String name, Map<String, String> labels) {
    return new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
  }

  @Test
  void aRunnerPodWakesTheRequestItsAnnotationNamesInItsOwnNamespace() {
    assertThat(new PodToRequest(new RunPlacement("migration-gate")).toPrimaryResourceIDs(pod(Map.of(OwnedLabels.REQUEST_ANNOTATION, "orders"))))
        .containsExactly(new ResourceID("orders", "team"));
  }

  @Test
  void aPodWithoutTheRequestAnnotationWakesNothing() {
    assertThat(new PodToRequest(new RunPlacement("migration-gate")).toPrimaryResourceIDs(pod(null))).isEmpty();
    assertThat(new PodToRequest(new RunPlacement("migration-gate")).toPrimaryResourceIDs(pod(Map.of("other", "x")))).isEmpty();
  }

  @Test
  void aNamespaceWakesEveryRequestInItAndOnlyThose() {
    Map<String, List<MigrationRequest>> cached = Map.of(
        "team", List.of(Requests.request("team", "a"), Requests.request("team", "b")),
        "other", List.of(Requests.request("other", "c")));
    var mapper = new NamespaceToRequests(ns -> cached.getOrDefault(ns, List.of()).stream());

    assertThat(mapper.toPrimaryResourceIDs(namespace("team", Map.of())))
        .containsExactlyInAnyOrder(new ResourceID("a", "team"), new ResourceID("b", "team"));
    assertThat(mapper.toPrimaryResourceIDs(namespace("empty", Map.of()))).isEmpty();
    assertThat(mapper.toSecondaryResourceIDs(Requests.request("team", "a"))).containsExactly(new ResourceID("team"));
  }

  @Test
  void onlyALabelChangeOfANamespaceCounts() {
    var mapper = new NamespaceToRequests(ns -> Stream.empty());
    Namespace staging = namespace("team", Map.of("environment", "staging"));
    Namespace production = namespace("team", Map.of("environment", "production"));
    Namespace annotated = namespace("team", Map.of("environment", "staging"));
    annotated.getMetadata().setAnnotations(Map.of("note", "x"));

    assertThat(mapper.accept(production, staging)).isTrue();
    assertThat(mapper.accept(annotated, staging)).isFalse();
  }
}
