package io.migrationgate.operator.effects;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.migrationgate.api.v1alpha1.EvidenceStatus;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.contract.ScriptsDigest;
import io.migrationgate.operator.Requests;
import io.migrationgate.operator.lifecycle.JobObservation;
import io.migrationgate.operator.lifecycle.OwnedLabels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class EvidenceRecorderTest {

  static KubernetesClient client;

  private static final JobObservation FAILED = new JobObservation(JobObservation.State.FAILED, "JobFailed",
      "Job orders-run failed", null, null, null, 1, "{\"outcome\":\"MIGRATION_FAILED\"}");
  private static final String OUTCOME = "Failed MigrationFailed: Job orders-run failed";

  private final MigrationRequest request = Requests.request("staging", "orders");

  @BeforeEach
  void aRequestWithAUid() {
    request.getMetadata().setUid("request-uid");
    request.setApiVersion("migrationgate.io/v1alpha1");
    request.setKind("MigrationRequest");
  }

  private List<ConfigMap> evidenceConfigMaps() {
    return client.configMaps().inNamespace("staging").withLabel(OwnedLabels.REQUEST_UID_KEY, "request-uid").list()
        .getItems();
  }

  @Test
  void statusRecordsTheUidAndTheDigestOfWhatWasWritten() {
    EvidenceStatus status = new EvidenceRecorder(client).record(request, FAILED, OUTCOME);

    ConfigMap written = client.configMaps().inNamespace("staging").withName(status.configMap).get();
    assertThat(status.configMapUid).isEqualTo(written.getMetadata().getUid());
    assertThat(status.digest).isEqualTo(ScriptsDigest.of(written.getData())).startsWith("sha256:");
    assertThat(status.problem).isNull();
  }

  /** A crash between creating the evidence and recording it in status: the next reconcile finds it. */
  @Test
  void evidenceCreatedBeforeACrashIsFoundAgainNotWrittenTwice() {
    EvidenceStatus beforeTheCrash = new EvidenceRecorder(client).record(request, FAILED, OUTCOME);
    EvidenceStatus afterIt = new EvidenceRecorder(client).record(request, FAILED, OUTCOME);

    assertThat(afterIt.configMap).isEqualTo(beforeTheCrash.configMap);
    assertThat(afterIt.configMapUid).isEqualTo(beforeTheCrash.configMapUid);
    assertThat(afterIt.digest).isEqualTo(beforeTheCrash.digest);
    assertThat(evidenceConfigMaps()).hasSize(1);
  }

  @Test
  void aLookAlikeThatCouldChangeIsNotOwnedOrSaysSomethingElseIsNeverTaken() {
    EvidenceStatus genuine = new EvidenceRecorder(client).record(request, FAILED, OUTCOME);
    Map<String, String> data = client.configMaps().inNamespace("staging").withName(genuine.configMap).get().getData();
    client.configMaps().inNamespace("staging").withName(genuine.configMap).delete();
    Map<String, String> forgedReport = new java.util.HashMap<>(data);
    forgedReport.put("termination-message", "{\"outcome\":\"SUCCEEDED\"}");
    lookAlike("mutable", data, false, true);
    lookAlike("not-owned", data, true, false);
    lookAlike("forged-report", forgedReport, true, true);

    EvidenceStatus recorded = new EvidenceRecorder(client).record(request, FAILED, OUTCOME);

    assertThat(recorded.configMap).doesNotContain("mutable", "not-owned", "forged-report");
    assertThat(recorded.digest).isEqualTo(genuine.digest);
    assertThat(evidenceConfigMaps()).hasSize(4);
  }

  private void lookAlike(String name, Map<String, String> data, boolean immutable, boolean owned) {
    var metadata = OwnedLabels.metadata(request, "evidence").withName(name);
    if (!owned) {
      metadata.withOwnerReferences(List.of());
    }
    client.resource(new ConfigMapBuilder().withMetadata(metadata.build()).withImmutable(immutable).withData(data)
        .build()).create();
  }

  @Test
  void bytesAreCountedNotCharactersAndCutsKeepWholeCharacters() {
    String text = "é".repeat(10); // 2 bytes each in UTF-8
    assertThat(EvidenceRecorder.bytes(text)).isEqualTo(20);
    assertThat(EvidenceRecorder.tailBytes(text, 7)).isEqualTo("ééé");
    assertThat(EvidenceRecorder.headBytes(text, 7)).isEqualTo("ééé");
    assertThat(EvidenceRecorder.tailBytes("abc", 7)).isEqualTo("abc");
    String log = "€".repeat(200_000); // 3 bytes each: 600,000 bytes in 200,000 characters
    assertThat(EvidenceRecorder.bytes(EvidenceRecorder.tailBytes(log, EvidenceRecorder.MAX_LOG_BYTES)))
        .isLessThanOrEqualTo(EvidenceRecorder.MAX_LOG_BYTES);
  }
}
