package io.migrationgate.operator.effects;

import io.migrationgate.operator.lifecycle.TransitionEvents;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.migrationgate.contract.ScriptsDigest;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import java.net.HttpURLConnection;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts Kubernetes Events on a request, so {@code kubectl describe mr} tells its story, and logs
 * each transition, so the operator's log tells the same one. The same event repeated (a deletion
 * waiting for its Job) becomes one Event with a count, as the kubelet and controllers do, rather
 * than a new object every few seconds.
 */
public final class EventRecorder implements StatusRecorder.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void recorded(MigrationRequest request, MigrationRequestStatus before, MigrationRequestStatus after,
      Instant at) {
    TransitionEvents.between(before, after).forEach(e -> {
      // The text format shows namespace/name from the MDC JOSDK fills while it reconciles.
      LOG.info("{}: {}", e.reason(), e.message());
      post(request, e, at);
    });
  }

  @Override
  public void announced(MigrationRequest request, TransitionEvents.Event event, Instant at) {
    post(request, event, at);
  }

  private void post(MigrationRequest request, TransitionEvents.Event event, Instant at) {
    String now = at.toString();
    String namespace = request.getMetadata().getNamespace();
    String requestName = request.getMetadata().getName();
    String name = requestName.substring(0, Math.min(requestName.length(), 200)) + "."
        + ScriptsDigest.ofContent(request.getMetadata().getUid() + event.reason() + event.message()).substring(0, 12);
    // Create first: almost every event is new, so one write, no read; only a repeat reads and counts.
    try {
      client.v1().events().inNamespace(namespace).resource(new EventBuilder()
          .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
          .endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder()
              .withApiVersion(request.getApiVersion())
              .withKind(request.getKind())
              .withName(request.getMetadata().getName())
              .withNamespace(namespace)
              .withUid(request.getMetadata().getUid())
              .build())
          .withType(event.warning() ? "Warning" : "Normal")
          .withReason(event.reason())
          .withMessage(event.message())
          .withNewSource().withComponent("migration-gate").endSource()
          .withReportingComponent("migrationgate.io/operator")
          .withReportingInstance(System.getenv().getOrDefault("HOSTNAME", "migration-gate"))
          .withFirstTimestamp(now)
          .withLastTimestamp(now)
          .withCount(1)
          .build()).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        countRepeat(namespace, name, now);
        return;
      }
      // Events are a courtesy to people; status and evidence carry the record, so never fail on them.
      LOG.warn("could not record event {} on {}/{}: {}", event.reason(), namespace,
          request.getMetadata().getName(), e.getMessage());
    }
  }

  private void countRepeat(String namespace, String name, String now) {
    try {
      client.v1().events().inNamespace(namespace).withName(name).edit(e -> {
        e.setCount(e.getCount() == null ? 2 : e.getCount() + 1);
        e.setLastTimestamp(now);
        return e;
      });
    } catch (KubernetesClientException e) {
      LOG.warn("could not count a repeat of event {} in {}: {}", name, namespace, e.getMessage());
    }
  }
}
