package io.migrationgate.operator.effects;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.JobStatus;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.operator.lifecycle.RequestLifecycle;
import io.migrationgate.operator.lifecycle.StatusConditions;
import io.migrationgate.operator.lifecycle.Statuses;
import io.migrationgate.operator.lifecycle.Step;
import io.migrationgate.operator.lifecycle.TransitionEvents;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of a request's status. It holds the clock; it shows the lifecycle's verdicts, and
 * unexpected failures, in the conditions (through {@link StatusConditions}); it performs every
 * status write; and it tells its listeners (metrics, Events) what changed.
 *
 * <p>Every write but one replaces the status subresource with optimistic locking: a request changed
 * meanwhile fails the write and the whole reconcile runs again with fresh data, rather than writing
 * a decision made on stale annotations. Nothing is written when nothing changed, and what is written
 * goes into the operator's cache so the next reconcile sees it (the launch marker depends on that).
 * The one exception is the uid of a Job just created ({@link #recordJob}). Server-side apply is not
 * used: see docs/operations.md.
 */
public final class StatusRecorder {

  /** Who hears of status changes, after the status is written. */
  public interface Listener {
    /** A reconcile's last write: the request's status went from {@code before} to {@code after}. */
    default void recorded(MigrationRequest request, MigrationRequestStatus before, MigrationRequestStatus after,
        Instant at) {}

    /** Something worth telling that is not a change of status (a deletion waiting for its Job). */
    default void announced(MigrationRequest request, TransitionEvents.Event event, Instant at) {}

    /** The request is gone. */
    default void forgotten(MigrationRequest request) {}
  }

  private static final Logger LOG = LoggerFactory.getLogger(StatusRecorder.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;
  private final List<Listener> listeners;

  public StatusRecorder(Clock clock, List<Listener> listeners) {
    this.clock = clock;
    this.listeners = List.copyOf(listeners);
  }

  /** The time status records: whole seconds. */
  public Instant now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
  }

  /**
   * The status {@code step} leaves {@code request} with: its verdict shown in the conditions. A
   * final request's conditions stand, with kstatus's condition added if it ended before the operator
   * knew kstatus, and without a ReconcileError, since the reconcile that got here succeeded; a step
   * that only asks for an action first leaves them as they are.
   */
  public MigrationRequestStatus statusOf(MigrationRequest request, Step step) {
    MigrationRequestStatus status = RequestLifecycle.copyOf(step.status());
    String now = now().toString();
    status.conditions = step.verdict()
        .map(v -> StatusConditions.derive(status, v, status.conditions, request.getMetadata().getGeneration(), now))
        .orElseGet(() -> Statuses.isFinal(status)
            ? StatusConditions.withoutReconcileError(StatusConditions.withKstatus(status, now))
            : status.conditions);
    return status;
  }

  /** A launch marker (a run's or a plan's), written before its Job is created. */
  public MigrationRequest writeMarker(MigrationRequest request, Step step, Context<MigrationRequest> context) {
    return write(request, statusOf(request, step), context);
  }

  /**
   * The reconcile's last write: the status of its last {@code step}, written over {@code latest};
   * then the listeners hear what changed since the reconcile saw {@code observed}.
   */
  public MigrationRequest record(
      MigrationRequest observed, MigrationRequest latest, Step step, Context<MigrationRequest> context) {
    MigrationRequestStatus after = statusOf(latest, step);
    MigrationRequest written = write(latest, after, context);
    Instant at = now();
    listeners.forEach(l -> l.recorded(observed, observed.getStatus(), after, at));
    return written;
  }

  /**
   * Records the uid of a Job the moment it exists. A merge patch of status.job alone, without
   * optimistic locking, so that an annotation written meanwhile cannot make it fail: a launch
   * marker without a uid would mean "the Job was never created" if the Job then vanished.
   */
  public MigrationRequest recordJob(MigrationRequest request, Job job, Context<MigrationRequest> context) {
    JobStatus recorded = JSON.convertValue(request.getStatus().job, JobStatus.class);
    recorded.uid = job.getMetadata().getUid();
    recorded.createdAt = job.getMetadata().getCreationTimestamp();
    ObjectNode patch = JSON.createObjectNode();
    patch.putObject("status").set("job", JSON.valueToTree(recorded));
    MigrationRequest updated = context.getClient().resource(request).subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    context.eventSourceRetriever().getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(request), updated, request);
    return updated;
  }

  /**
   * Shows an unexpected failure on the request (a ReconcileError condition). The status is read
   * fresh, since a launch marker may have been written before the failure, and written with
   * optimistic locking, so it can never undo a write made meanwhile.
   */
  public void recordFailure(MigrationRequest request, Exception error, int attempt, boolean lastAttempt,
      Context<MigrationRequest> context) {
    try {
      MigrationRequest latest = context.getClient().resource(request).get();
      if (latest != null) {
        write(latest, failed(latest.getStatus(), error, attempt, lastAttempt), context);
      }
    } catch (RuntimeException unwritten) {
      LOG.warn("could not show the reconcile failure on {}/{}: {}", request.getMetadata().getNamespace(),
          request.getMetadata().getName(), unwritten.getMessage());
    }
  }

  /** What a failed reconcile leaves in {@code latest}: where the request stands, and the failure beside it. */
  MigrationRequestStatus failed(MigrationRequestStatus latest, Exception error, int attempt, boolean lastAttempt) {
    MigrationRequestStatus status = RequestLifecycle.copyOf(latest);
    Optional<KubernetesClientException> apiServer = apiServerAnswer(error);
    String reason = apiServer.isPresent() ? Reason.API_SERVER_ERROR : Reason.UNEXPECTED_ERROR;
    String message = "reconcile attempt " + attempt + " failed: "
        + apiServer.map(StatusRecorder::describe).orElse(describe(unwrapped(error)))
        + (lastAttempt
            ? "; retries are used up: the operator tries again on the request's next change and within 5 minutes"
            : "; the operator retries");
    status.conditions = StatusConditions.withReconcileError(status, reason, message, now().toString());
    return status;
  }

  /** Something to tell about the request that is no change of its status. */
  public void announce(MigrationRequest request, TransitionEvents.Event event) {
    Instant at = now();
    listeners.forEach(l -> l.announced(request, event, at));
  }

  public void forget(MigrationRequest request) {
    listeners.forEach(l -> l.forgotten(request));
  }

  private static MigrationRequest write(
      MigrationRequest request, MigrationRequestStatus status, Context<MigrationRequest> context) {
    if (same(request.getStatus(), status)) {
      return request;
    }
    return PrimaryUpdateAndCacheUtils.updateAndCacheResource(
        request,
        context,
        r -> {
          MigrationRequest copy = JSON.convertValue(r, MigrationRequest.class);
          copy.setStatus(status);
          return copy;
        },
        r -> context.getClient().resource(r).updateStatus(),
        0,
        PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_TIMEOUT_MILLIS,
        PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_POLL_PERIOD_MILLIS);
  }

  public static boolean same(MigrationRequestStatus a, MigrationRequestStatus b) {
    return Objects.equals(JSON.valueToTree(a), JSON.valueToTree(b));
  }

  /** The framework may wrap what the client threw; an answer with an HTTP code is the API server's. */
  private static Optional<KubernetesClientException> apiServerAnswer(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  private static String describe(KubernetesClientException answer) {
    return "the API server answered " + answer.getCode() + ": " + JobLauncher.why(answer);
  }

  /** JOSDK wraps what the reconciler threw; the person reading the condition wants what was thrown. */
  private static Throwable unwrapped(Throwable error) {
    Throwable t = error;
    while (t instanceof OperatorException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(Throwable error) {
    return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
  }
}
