package io.migrationgate.operator.effects;

import io.migrationgate.operator.lifecycle.RunPlacement;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import com.sun.net.httpserver.HttpServer;
import io.migrationgate.api.v1alpha1.EvidenceStatus;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.contract.RunReport;
import io.migrationgate.contract.ScriptsDigest;
import io.migrationgate.operator.Reports;
import io.migrationgate.operator.Requests;
import io.migrationgate.operator.lifecycle.JobObservation;
import io.migrationgate.operator.lifecycle.OwnedLabels;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

@EnableKubernetesMockClient(crud = true)
class EvidenceRecorderTest {

  static KubernetesClient client;
  static KubernetesMockServer server;

  private static final JobObservation FAILED = new JobObservation(JobObservation.State.FAILED, "JobFailed",
      "Job orders-run failed", null, null, null, 1, "{\"outcome\":\"MIGRATION_FAILED\"}");
  private static final String OUTCOME = "Failed MigrationFailed: Job orders-run failed";
  private static final String REPORT = Reports.succeeded(2);
  // The log tests' own namespace: the mock server's objects outlive each test.
  private static final String LOGS = "logs";

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
    EvidenceStatus status = new EvidenceRecorder(client, new RunPlacement("migration-gate")).record(request, FAILED, OUTCOME);

    ConfigMap written = client.configMaps().inNamespace("staging").withName(status.configMap).get();
    assertThat(status.configMapUid).isEqualTo(written.getMetadata().getUid());
    assertThat(status.digest).isEqualTo(ScriptsDigest.of(written.getData())).startsWith("sha256:");
    assertThat(status.problem).isNull();
  }

  /** A crash between creating the evidence and recording it in status: the next reconcile finds it. */
  @Test
  void evidenceCreatedBeforeACrashIsFoundAgainNotWrittenTwice() {
    EvidenceStatus beforeTheCrash = new EvidenceRecorder(client, new RunPlacement("migration-gate")).record(request, FAILED, OUTCOME);
    EvidenceStatus afterIt = new EvidenceRecorder(client, new RunPlacement("migration-gate")).record(request, FAILED, OUTCOME);

    assertThat(afterIt.configMap).isEqualTo(beforeTheCrash.configMap);
    assertThat(afterIt.configMapUid).isEqualTo(beforeTheCrash.configMapUid);
    assertThat(afterIt.digest).isEqualTo(beforeTheCrash.digest);
    assertThat(evidenceConfigMaps()).hasSize(1);
  }

  @Test
  void aLookAlikeThatCouldChangeIsNotOwnedOrSaysSomethingElseIsNeverTaken() {
    EvidenceStatus genuine = new EvidenceRecorder(client, new RunPlacement("migration-gate")).record(request, FAILED, OUTCOME);
    Map<String, String> data = client.configMaps().inNamespace("staging").withName(genuine.configMap).get().getData();
    client.configMaps().inNamespace("staging").withName(genuine.configMap).delete();
    Map<String, String> forgedReport = new java.util.HashMap<>(data);
    forgedReport.put("termination-message", "{\"outcome\":\"SUCCEEDED\"}");
    lookAlike("mutable", data, false, true);
    lookAlike("not-owned", data, true, false);
    lookAlike("forged-report", forgedReport, true, true);

    EvidenceStatus recorded = new EvidenceRecorder(client, new RunPlacement("migration-gate")).record(request, FAILED, OUTCOME);

    assertThat(recorded.configMap).doesNotContain("mutable", "not-owned", "forged-report");
    assertThat(recorded.digest).isEqualTo(genuine.digest);
    assertThat(evidenceConfigMaps()).hasSize(4);
  }

  private void lookAlike(String name, Map<String, String> data, boolean immutable, boolean owned) {
    var metadata = OwnedLabels.metadata(request, "evidence", new RunPlacement("migration-gate")).withName(name);
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

  private static JobObservation failedIn(String pod) {
    return new JobObservation(JobObservation.State.FAILED, "JobFailed", "Job orders-run failed", null, null, pod, 1,
        "{\"outcome\":\"MIGRATION_FAILED\"}");
  }

  /**
   * An ended pod whose log the API server gives only when asked for the last {@code lines} lines
   * with the bound.
   */
  private void logOf(String pod, int lines, String log) {
    if (client.pods().inNamespace(LOGS).withName(pod).get() == null) {
      client.resource(new PodBuilder().withNewMetadata().withName(pod).withNamespace(LOGS).endMetadata()
          .withNewStatus().withPhase("Failed").endStatus().build()).create();
    }
    server.expect().get().withPath("/api/v1/namespaces/" + LOGS + "/pods/" + pod + "/log?pretty=false&container=runner"
        + "&tailLines=" + lines + "&limitBytes=" + EvidenceRecorder.LOG_READ_LIMIT_BYTES).andReturn(200, log).always();
  }

  /** The evidence of a failed run in {@code pod} of namespace {@link #LOGS}, as written. */
  private Map<String, String> evidenceOfARunIn(String pod) {
    request.getMetadata().setNamespace(LOGS);
    EvidenceStatus status = new EvidenceRecorder(client, new RunPlacement("migration-gate")).record(request, failedIn(pod), OUTCOME);
    return client.configMaps().inNamespace(LOGS).withName(status.configMap).get().getData();
  }

  @Test
  void theLogIsAskedForWithAByteLimit() {
    logOf("short", EvidenceRecorder.LOG_TAIL_LINES, "connected\n" + RunReport.STDOUT_MARKER + REPORT + "\n");

    Map<String, String> data = evidenceOfARunIn("short");

    assertThat(data).containsEntry("report.json", REPORT).containsEntry("log-tail", "connected\n");
  }

  /** The requester's scripts can fill the log; the report, printed last, must still be kept. */
  @Test
  void aFloodBeforeTheReportDoesNotPushItOutOfTheEvidence() {
    String line = "NOTICE: " + "x".repeat(1000) + "\n";
    logOf("flooded", EvidenceRecorder.LOG_TAIL_LINES, line.repeat(EvidenceRecorder.LOG_READ_LIMIT_BYTES / line.length() + 1)
        .substring(0, EvidenceRecorder.LOG_READ_LIMIT_BYTES));
    logOf("flooded", EvidenceRecorder.LAST_LINES, line + RunReport.STDOUT_MARKER + REPORT + "\n");

    Map<String, String> data = evidenceOfARunIn("flooded");

    assertThat(data).containsEntry("report.json", REPORT);
    assertThat(data.get("log-tail")).isEqualTo("(the log's last 200 lines are over 786432 bytes: only its last 5 lines "
        + "were read)\n" + line);
  }

  /** A server that ignores limitBytes and never ends the log: the operator stops reading at the bound. */
  @Test
  void aLogThatNeverEndsIsReadOnlyToTheBound() throws IOException {
    List<String> asked = new CopyOnWriteArrayList<>();
    HttpServer endless = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // fabric8 looks the pod up before it reads the log: a pod that has ended
    endless.createContext("/api/v1/namespaces/staging/pods", exchange -> {
      byte[] pods = ("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"1\"},"
          + "\"items\":[{\"metadata\":{\"name\":\"orders-pod\",\"namespace\":\"staging\",\"resourceVersion\":\"1\"},"
          + "\"status\":{\"phase\":\"Failed\"}}]}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, pods.length);
      exchange.getResponseBody().write(pods);
      exchange.close();
    });
    endless.createContext("/api/v1/namespaces/staging/pods/orders-pod/log", exchange -> {
      asked.add(exchange.getRequestURI().toString());
      exchange.sendResponseHeaders(200, 0);
      byte[] chunk = "flood\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
      try (OutputStream body = exchange.getResponseBody()) {
        while (true) {
          body.write(chunk);
        }
      } catch (IOException readerWentAway) {
        exchange.close();
      }
    });
    endless.start();
    try (KubernetesClient toEndless = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl("http://127.0.0.1:" + endless.getAddress().getPort()).withRequestRetryBackoffLimit(0).build())
        .build()) {
      String tail = assertTimeoutPreemptively(Duration.ofSeconds(30),
          () -> new EvidenceRecorder(toEndless, new RunPlacement("migration-gate")).logTail("staging", "orders-pod"));

      assertThat(EvidenceRecorder.bytes(tail)).isLessThanOrEqualTo(EvidenceRecorder.LOG_READ_LIMIT_BYTES + 200);
      assertThat(tail).startsWith("(the log's last 200 lines are over 786432 bytes: only its last 5 lines were read, "
          + "cut at that size)\nflood\n");
      assertThat(asked).hasSize(2).allSatisfy(query -> assertThat(query).contains("limitBytes=786432"));
    } finally {
      endless.stop(0);
    }
  }
}
