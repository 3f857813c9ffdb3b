package io.migrationgate.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps what the Job left behind in an immutable ConfigMap owned by the request: the runner's
 * report from the termination message and the tail of the runner's log. Pods and their logs go
 * away; this stays as long as the request does.
 */
public final class EvidenceRecorder {

  static final int LOG_TAIL_LINES = 200;
  static final int MAX_LOG_CHARS = 256 * 1024;

  private final KubernetesClient client;

  public EvidenceRecorder(KubernetesClient client) {
    this.client = client;
  }

  /** Creates the evidence ConfigMap (or finds the one an earlier attempt created) and returns its name. */
  public String record(MigrationRequest request, JobObservation observation) {
    String namespace = request.getMetadata().getNamespace();
    Map<String, String> data = new LinkedHashMap<>();
    data.put("job", String.valueOf(observation.pod() == null ? "" : observation.pod()));
    data.put("outcome", observation.state() + " " + observation.reason() + ": " + observation.message());
    if (observation.exitCode() != null) {
      data.put("exitCode", observation.exitCode().toString());
    }
    if (observation.terminationMessage() != null) {
      data.put("termination-message", observation.terminationMessage());
    }
    data.put("log-tail", logTail(namespace, observation.pod()));
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

  private String logTail(String namespace, String pod) {
    if (pod == null) {
      return "(no pod was created)";
    }
    try {
      String log = client.pods().inNamespace(namespace).withName(pod)
          .inContainer(JobFactory.RUNNER_CONTAINER).tailingLines(LOG_TAIL_LINES).getLog();
      String tail = Optional.ofNullable(log).orElse("");
      return tail.length() <= MAX_LOG_CHARS ? tail : tail.substring(tail.length() - MAX_LOG_CHARS);
    } catch (KubernetesClientException e) {
      return "(log unavailable: " + e.getCode() + " " + e.getMessage() + ")";
    }
  }
}
