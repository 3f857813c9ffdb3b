package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.contract.ScriptsDigest;
import io.migrationgate.operator.Requests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrustedObjectsTest {

  private static final Job JOB = new JobBuilder().withNewMetadata().withName("orders-run").withUid("job-uid")
      .endMetadata().build();

  private static Pod pod(String controllerUidLabel, String ownerUid, boolean controller) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName("p").endMetadata();
    if (controllerUidLabel != null) {
      pod.editMetadata().addToLabels(TrustedObjects.JOB_CONTROLLER_UID, controllerUidLabel).endMetadata();
    }
    return pod.editMetadata().addNewOwnerReference().withKind("Job").withName("orders-run").withUid(ownerUid)
        .withController(controller).endOwnerReference().endMetadata().build();
  }

  @Test
  void onlyAPodLabelledAndControlledByTheJobIsItsPod() {
    assertThat(TrustedObjects.isPodOf(pod("job-uid", "job-uid", true), JOB)).isTrue();
    assertThat(TrustedObjects.isPodOf(pod(null, "job-uid", true), JOB)).as("no controller-uid label").isFalse();
    assertThat(TrustedObjects.isPodOf(pod("job-uid", "job-uid", false), JOB)).as("not the controller").isFalse();
    assertThat(TrustedObjects.isPodOf(pod("other", "job-uid", true), JOB)).as("another Job's label").isFalse();
    assertThat(TrustedObjects.isPodOf(pod("job-uid", "other", true), JOB)).as("another owner").isFalse();
  }

  private static final Map<String, String> EVIDENCE = Map.of("job", "orders-run", "outcome", "Succeeded");

  private static ConfigMap evidence(MigrationRequest request, String name, boolean immutable, boolean owned,
      Map<String, String> data) {
    var metadata = OwnedLabels.metadata(request, "evidence", new RunPlacement("migration-gate")).withName(name);
    if (!owned) {
      metadata.withOwnerReferences(List.of());
    }
    return new ConfigMapBuilder().withMetadata(metadata.build()).withImmutable(immutable).withData(data).build();
  }

  @Test
  void onlyImmutableEvidenceThisRequestControlsWithTheDataItWouldWriteIsItsOwn() {
    MigrationRequest request = Requests.request("staging", "orders");
    request.getMetadata().setUid("request-uid");
    String digest = ScriptsDigest.of(EVIDENCE);
    ConfigMap own = evidence(request, "own", true, true, EVIDENCE);

    assertThat(TrustedObjects.ownEvidence(List.of(
        evidence(request, "mutable", false, true, EVIDENCE),
        evidence(request, "not-owned", true, false, EVIDENCE),
        evidence(request, "other-data", true, true, Map.of("job", "orders-run", "outcome", "Failed")),
        own), request, digest)).contains(own);
    assertThat(TrustedObjects.ownEvidence(List.of(new ConfigMapDigest.Cached(own)), request, digest))
        .as("a cached copy, which keeps the digest instead of the data").isPresent();
    MigrationRequest another = Requests.request("staging", "orders");
    another.getMetadata().setUid("another-uid");
    assertThat(TrustedObjects.ownEvidence(List.of(own), another, digest)).as("another request's").isEmpty();
  }
}
