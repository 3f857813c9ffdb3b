package io.migrationgate.operator.watch;

import io.migrationgate.operator.Requests;
import io.migrationgate.operator.lifecycle.ConfigMapDigest;
import io.migrationgate.operator.lifecycle.TrustedObjects;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.migrationgate.api.v1alpha1.Annotations;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.PlanStatus;
import io.migrationgate.contract.ScriptsDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CachedCopiesTest {

  private static final String REQUEST_UID = "11111111-2222-3333-4444-555555555555";

  private final MigrationRequest request = request();

  @Test
  void aCachedConfigMapKeepsItsMetadataAndTheDigestOfItsDataNotTheData() {
    ConfigMap cached = cache(CachedCopies.configMaps(), snapshot(Requests.SCRIPTS));

    assertThat(cached).isInstanceOf(ConfigMapDigest.Cached.class);
    assertThat(cached.getData()).isNull();
    assertThat(cached.getMetadata().getManagedFields()).isNull();
    assertThat(cached.getMetadata().getUid()).isEqualTo("snapshot-uid");
    assertThat(cached.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(REQUEST_UID));
    assertThat(cached.getImmutable()).isTrue();
    assertThat(ConfigMapDigest.of(cached)).isEqualTo(ScriptsDigest.of(Requests.SCRIPTS));
  }

  @Test
  void theLaunchJudgesACachedSnapshotByItsDigest() {
    PlanStatus plan = plan(ScriptsDigest.of(Requests.SCRIPTS));
    ConfigMap planned = cache(CachedCopies.configMaps(), snapshot(Requests.SCRIPTS));
    ConfigMap other = cache(CachedCopies.configMaps(), snapshot(Map.of("V1__x.sql", "drop table orders;")));

    assertThat(TrustedObjects.snapshotProblem(Optional.of(planned), plan, request)).isEmpty();
    assertThat(TrustedObjects.snapshotProblem(Optional.of(other), plan, request)).get().asString()
        .contains("has digest " + ScriptsDigest.of(Map.of("V1__x.sql", "drop table orders;")));
  }

  @Test
  void aCachedPodKeepsItsStatusAndLabelsNotItsSpec() {
    Pod pod = new PodBuilder().withNewMetadata().withName("orders-run-pod").withUid("pod-uid")
        .addToLabels(TrustedObjects.JOB_CONTROLLER_UID, "job-uid")
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubelet").build()).endMetadata()
        .withNewSpec().addNewContainer().withName("runner").withImage("migration-gate:1").endContainer().endSpec()
        .withNewStatus().withPhase("Succeeded").endStatus().build();

    Pod cached = cache(CachedCopies.pods(), pod);

    assertThat(cached.getSpec()).isNull();
    assertThat(cached.getMetadata().getManagedFields()).isNull();
    assertThat(cached.getMetadata().getLabels()).containsEntry(TrustedObjects.JOB_CONTROLLER_UID, "job-uid");
    assertThat(cached.getStatus().getPhase()).isEqualTo("Succeeded");
  }

  @Test
  void aCachedRequestKeepsItsWholeStatusWithRepeatedTextsShared() {
    MigrationRequest request = request();
    request.getMetadata().setManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("kubectl").build()));
    request.getMetadata().getAnnotations().put("kubectl.kubernetes.io/last-applied-configuration", "{\"spec\":{}}");
    request.setStatus(new MigrationRequestStatus());
    String message = "plan sha256:1 is ready for review";
    for (String type : List.of("Approved", "Ready", "Reconciling")) {
      request.getStatus().conditions.add(new ConditionBuilder().withType(type)
          .withStatus(new String("False")).withReason(new String("AwaitingApproval")).withMessage(new String(message))
          .withLastTransitionTime(new String("2026-12-02T00:00:00Z")).build());
    }
    String before = Serialization.asJson(request.getStatus());

    MigrationRequest cached = cache(new CachedCopies.Requests(), request);

    assertThat(Serialization.asJson(cached.getStatus()))
        .as("the status is the record: all of it stays").isEqualTo(before);
    var conditions = cached.getStatus().conditions;
    assertThat(conditions.get(1).getMessage()).isSameAs(conditions.get(0).getMessage());
    assertThat(conditions.get(2).getReason()).isSameAs(conditions.get(0).getReason());
    assertThat(conditions.get(2).getLastTransitionTime()).isSameAs(conditions.get(0).getLastTransitionTime());
    assertThat(cached.getMetadata().getManagedFields()).isNull();
    assertThat(cached.getMetadata().getAnnotations()).doesNotContainKey("kubectl.kubernetes.io/last-applied-configuration")
        .containsKey(Annotations.REQUESTED_BY);
  }

  @Test
  void aCachedJobKeepsItsStatusAndSettingsNotItsPodTemplate() {
    Job job = new JobBuilder().withNewMetadata().withName("orders-run").withUid("job-uid").endMetadata()
        .withNewSpec().withBackoffLimit(0).withNewTemplate().withNewSpec().addNewContainer().withName("runner")
        .withArgs("run", "--url", "jdbc:postgresql://db/orders").endContainer().endSpec().endTemplate().endSpec()
        .withNewStatus().withFailed(1).endStatus().build();

    Job cached = cache(CachedCopies.jobs(), job);

    assertThat(cached.getSpec().getTemplate()).isNull();
    assertThat(cached.getSpec().getBackoffLimit()).isZero();
    assertThat(cached.getStatus().getFailed()).isEqualTo(1);
  }

  /** What {@code store} keeps of {@code object}. */
  private static <T extends HasMetadata> T cache(ItemStore<T> store, T object) {
    String key = store.getKey(object);
    store.put(key, object);
    return store.get(key);
  }

  private static ConfigMap snapshot(Map<String, String> data) {
    return new ConfigMapBuilder().withNewMetadata().withName("orders-snapshot").withUid("snapshot-uid")
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("migration-gate").build())
        .addNewOwnerReference().withKind("MigrationRequest").withName("orders").withUid(REQUEST_UID)
        .withController(true).endOwnerReference().endMetadata()
        .withImmutable(true).withData(data).build();
  }

  private static PlanStatus plan(String scriptsDigest) {
    PlanStatus plan = new PlanStatus();
    plan.snapshot = "orders-snapshot";
    plan.snapshotUid = "snapshot-uid";
    plan.scriptsDigest = scriptsDigest;
    return plan;
  }

  private static MigrationRequest request() {
    MigrationRequest request = Requests.request("staging", "orders");
    request.getMetadata().setUid(REQUEST_UID);
    return request;
  }
}
