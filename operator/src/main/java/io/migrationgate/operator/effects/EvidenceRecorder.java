package io.migrationgate.operator.effects;

import io.migrationgate.operator.lifecycle.ConfigMapDigest;
import io.migrationgate.operator.lifecycle.JobFactory;
import io.migrationgate.operator.lifecycle.JobObservation;
import io.migrationgate.operator.lifecycle.OwnedLabels;
import io.migrationgate.operator.lifecycle.ResourceNames;
import io.migrationgate.operator.lifecycle.RunPlacement;
import io.migrationgate.operator.lifecycle.TrustedObjects;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.migrationgate.api.v1alpha1.EvidenceStatus;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.contract.RunReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps what the Job left behind in an immutable ConfigMap owned by the request: the runner's full
 * report (its marked stdout line), its compact report from the termination message and the tail of
 * its log. Pods and their logs go away; this stays as long as the request does.
 *
 * <p>Evidence must never keep a request from ending: when the ConfigMap cannot be written (a full
 * quota, missing rights), the returned status says why instead, and the request still reaches its
 * final phase, frees its database and can be deleted.
 */
public final class EvidenceRecorder {

  static final int LOG_TAIL_LINES = 200;
  // A ConfigMap holds at most 1 MiB of bytes (not characters); the parts below fit together with
  // room for the keys and the 4 KiB termination message.
  static final int MAX_LOG_BYTES = 256 * 1024;
  static final int MAX_REPORT_BYTES = 512 * 1024;
  static final int MAX_OUTCOME_BYTES = 16 * 1024;
  // One log read brings in at most what could be kept of it. The runner's log is the requester's to
  // fill (a script's notices, say): without a bound, 200 long lines would be read whole into memory.
  static final int LOG_READ_LIMIT_BYTES = MAX_REPORT_BYTES + MAX_LOG_BYTES;
  // The report is the runner's last line: when the last 200 lines are over the limit, the last few
  // are read again, so that a flood before the report cannot push the report out of the evidence.
  static final int LAST_LINES = 5;

  private final KubernetesClient client;
  private final RunPlacement placement;

  public EvidenceRecorder(KubernetesClient client, RunPlacement placement) {
    this.placement = placement;
    this.client = client;
  }

  /** Creates the evidence ConfigMap; the status names it, or says why there is none. */
  public EvidenceStatus record(MigrationRequest request, JobObservation observation, String outcome) {
    return record(request, ResourceNames.job(request), "evidence", observation, outcome);
  }

  /** The evidence of the plan Job {@code job}: the database's view before approval. */
  public EvidenceStatus recordPlan(MigrationRequest request, String job, JobObservation observation, String outcome) {
    return record(request, job, "plan-evidence", observation, outcome);
  }

  private EvidenceStatus record(
      MigrationRequest request, String job, String component, JobObservation observation, String outcome) {
    String namespace = placement.namespaceOf(request);
    Map<String, String> data = new LinkedHashMap<>();
    data.put("job", job);
    if (observation.pod() != null) {
      data.put("pod", observation.pod());
    }
    data.put("outcome", headBytes(outcome, MAX_OUTCOME_BYTES));
    if (observation.exitCode() != null) {
      data.put("exitCode", observation.exitCode().toString());
    }
    // The runner's report and log are kept as written. Credentials stay out of them in the runner
    // (ConnectionFailures): the operator never reads a Secret, so it has nothing to scrub them with.
    if (observation.terminationMessage() != null) {
      data.put("termination-message", observation.terminationMessage());
    }
    String log = logTail(namespace, observation.pod());
    fullReport(log).ifPresent(report -> data.put("report.json", bytes(report) <= MAX_REPORT_BYTES ? report
        : "{\"note\":\"the full report (" + bytes(report) + " bytes) is too large to keep; see termination-message\"}"));
    data.put("log-tail", withoutReportLine(log));
    ConfigMap evidence = new ConfigMapBuilder()
        .withMetadata(OwnedLabels.metadata(request, component, placement)
            .withGenerateName(ResourceNames.evidencePrefix(request))
            .build())
        .withImmutable(true)
        .withData(data)
        .build();
    // The digest of what is written, never of what is read back: status is the operator's record.
    String digest = ConfigMapDigest.of(evidence);
    Optional<ConfigMap> createdBefore = TrustedObjects.ownEvidence(earlier(request, component), request, digest);
    EvidenceStatus status = new EvidenceStatus();
    try {
      ConfigMap kept = createdBefore.isPresent() ? createdBefore.get() : client.resource(evidence).create();
      status.configMap = kept.getMetadata().getName();
      status.configMapUid = kept.getMetadata().getUid();
      status.digest = digest;
    } catch (KubernetesClientException e) {
      status.problem = "the evidence ConfigMap could not be created (" + e.getCode() + "): "
          + e.getMessage() + "; the Job's pod and its log are kept as long as the Job is";
    }
    return status;
  }

  /**
   * The request's evidence ConfigMaps of this kind that exist already, read from the API server: the
   * cache may not have one created a moment ago by a reconcile whose status write was refused.
   */
  private List<ConfigMap> earlier(MigrationRequest request, String component) {
    return client.configMaps().inNamespace(placement.namespaceOf(request))
        .withLabel(OwnedLabels.REQUEST_UID_KEY, request.getMetadata().getUid())
        .withLabel(OwnedLabels.COMPONENT_KEY, component)
        .list().getItems();
  }

  /**
   * The runner prints its full report as one marked stdout line, near the end of the log; it is
   * kept as printed. A marked line that is no readable report stays in the log tail instead.
   */
  private static Optional<String> fullReport(String log) {
    return log.lines()
        .map(RunReport::printedJson)
        .flatMap(Optional::stream)
        .reduce((first, last) -> last);
  }

  private static String withoutReportLine(String log) {
    StringBuilder kept = new StringBuilder();
    log.lines().filter(line -> RunReport.printedJson(line).isEmpty())
        .forEach(line -> kept.append(line).append('\n'));
    return tailBytes(kept.toString(), MAX_LOG_BYTES);
  }

  static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** The last {@code max} bytes of {@code s} or fewer, cut at a character boundary. */
  static String tailBytes(String s, int max) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= max) {
      return s;
    }
    int start = utf8.length - max;
    while (start < utf8.length && (utf8[start] & 0xC0) == 0x80) {
      start++;
    }
    return new String(utf8, start, utf8.length - start, StandardCharsets.UTF_8);
  }

  /** The first {@code max} bytes of {@code s} or fewer, cut at a character boundary. */
  static String headBytes(String s, int max) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= max) {
      return s;
    }
    int end = max;
    while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
      end--;
    }
    return new String(utf8, 0, end, StandardCharsets.UTF_8);
  }

  /**
   * The last {@value #LOG_TAIL_LINES} lines of the runner's log, read to at most
   * {@value #LOG_READ_LIMIT_BYTES} bytes; when they are longer, a note and the last {@value #LAST_LINES}
   * lines, read to the same bound.
   */
  String logTail(String namespace, String pod) {
    if (pod == null) {
      return "(no pod was created)";
    }
    try {
      byte[] tail = readLog(namespace, pod, LOG_TAIL_LINES);
      if (tail.length < LOG_READ_LIMIT_BYTES) {
        return new String(tail, StandardCharsets.UTF_8);
      }
      byte[] end = readLog(namespace, pod, LAST_LINES);
      return "(the log's last " + LOG_TAIL_LINES + " lines are over " + LOG_READ_LIMIT_BYTES + " bytes: only its last "
          + LAST_LINES + " lines were read" + (end.length < LOG_READ_LIMIT_BYTES ? "" : ", cut at that size") + ")\n"
          + new String(end, StandardCharsets.UTF_8);
    } catch (KubernetesClientException e) {
      return "(log unavailable: " + e.getCode() + " " + e.getMessage() + ")";
    } catch (IOException e) {
      return "(log unavailable: " + e.getMessage() + ")";
    }
  }

  /**
   * Asks Kubernetes for at most {@value #LOG_READ_LIMIT_BYTES} bytes and stops reading there
   * whatever arrives, so the bound holds even against a server that ignores limitBytes.
   */
  private byte[] readLog(String namespace, String pod, int lines) throws IOException {
    try (InputStream log = client.pods().inNamespace(namespace).withName(pod).inContainer(JobFactory.RUNNER_CONTAINER)
        .limitBytes(LOG_READ_LIMIT_BYTES).tailingLines(lines).getLogInputStream()) {
      return log.readNBytes(LOG_READ_LIMIT_BYTES);
    }
  }
}
