package io.migrationgate.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.evidence.RunReport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps what the Job left behind in an immutable ConfigMap owned by the request: the runner's full
 * report (its marked stdout line), its compact report from the termination message and the tail of
 * its log. Pods and their logs go away; this stays as long as the request does.
 */
public final class EvidenceRecorder {

  static final int LOG_TAIL_LINES = 200;
  static final int MAX_LOG_CHARS = 256 * 1024;
  // A ConfigMap holds at most 1 MiB; the report and the log tail must fit together.
  static final int MAX_REPORT_CHARS = 512 * 1024;

  private final KubernetesClient client;

  public EvidenceRecorder(KubernetesClient client) {
    this.client = client;
  }

  /** Creates the evidence ConfigMap (or finds the one an earlier attempt created) and returns its name. */
  public String record(MigrationRequest request, JobObservation observation, String outcome) {
    String namespace = request.getMetadata().getNamespace();
    Map<String, String> data = new LinkedHashMap<>();
    data.put("job", ResourceNames.job(request));
    if (observation.pod() != null) {
      data.put("pod", observation.pod());
    }
    data.put("outcome", outcome);
    if (observation.exitCode() != null) {
      data.put("exitCode", observation.exitCode().toString());
    }
    if (observation.terminationMessage() != null) {
      data.put("termination-message", observation.terminationMessage());
    }
    String log = logTail(namespace, observation.pod());
    fullReport(log).ifPresent(report -> data.put("report.json", report.length() <= MAX_REPORT_CHARS ? report
        : "{\"note\":\"the full report (" + report.length() + " characters) is too large to keep; see termination-message\"}"));
    data.put("log-tail", withoutReportLine(log));
    ConfigMap evidence = new ConfigMapBuilder()
        .withNewMetadata()
          .withName(ResourceNames.evidence(request))
          .withNamespace(namespace)
          .withLabels(OwnedLabels.labels(request, "evidence"))
          .withAnnotations(OwnedLabels.annotations(request))
          .withOwnerReferences(OwnedLabels.ownedBy(request))
        .endMetadata()
        .withImmutable(true)
        .withData(data)
        .build();
    return OwnedObjects.createOrAdopt(client, evidence, request).getMetadata().getName();
  }

  /** The runner prints its full report as one marked stdout line, near the end of the log. */
  private static Optional<String> fullReport(String log) {
    return log.lines()
        .filter(line -> line.startsWith(RunReport.STDOUT_MARKER))
        .reduce((first, last) -> last)
        .map(line -> line.substring(RunReport.STDOUT_MARKER.length()));
  }

  private static String withoutReportLine(String log) {
    StringBuilder kept = new StringBuilder();
    log.lines().filter(line -> !line.startsWith(RunReport.STDOUT_MARKER))
        .forEach(line -> kept.append(line).append('\n'));
    String tail = kept.toString();
    return tail.length() <= MAX_LOG_CHARS ? tail : tail.substring(tail.length() - MAX_LOG_CHARS);
  }

  private String logTail(String namespace, String pod) {
    if (pod == null) {
      return "(no pod was created)";
    }
    try {
      String log = client.pods().inNamespace(namespace).withName(pod)
          .inContainer(JobFactory.RUNNER_CONTAINER).tailingLines(LOG_TAIL_LINES).getLog();
      return Optional.ofNullable(log).orElse("");
    } catch (KubernetesClientException e) {
      return "(log unavailable: " + e.getCode() + " " + e.getMessage() + ")";
    }
  }
}
