package io.migrationgate.operator.effects;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.migrationgate.api.v1alpha1.Conditions;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An unexpected failure while reconciling (the API server answering 500, a bug) shows on the
 * request, not only in the operator's log: a {@code ReconcileError} condition a user can search
 * for, with the failure and what happens next. It sits beside the lifecycle's conditions, which
 * keep saying where the request stands, and goes with the next reconcile that succeeds.
 */
public final class ReconcileErrors {

  /** Status messages are read in a terminal; a stack of causes belongs in the operator's log. */
  private static final int MAX_MESSAGE = 1024;

  private ReconcileErrors() {}

  public static MigrationRequestStatus failed(
      MigrationRequestStatus latest, Exception error, int attempt, boolean lastAttempt, Clock clock) {
    MigrationRequestStatus status = latest == null ? new MigrationRequestStatus() : latest;
    Optional<KubernetesClientException> apiServer = apiServerAnswer(error);
    String reason = apiServer.isPresent() ? Reason.API_SERVER_ERROR : Reason.UNEXPECTED_ERROR;
    String message = "reconcile attempt " + attempt + " failed: "
        + apiServer.map(ReconcileErrors::describe).orElse(describe(unwrapped(error)))
        + (lastAttempt
            ? "; retries are used up: the operator tries again on the request's next change and within 5 minutes"
            : "; the operator retries");
    List<Condition> conditions = new ArrayList<>(withoutError(status.conditions));
    String since = status.conditions == null ? null : status.conditions.stream()
        .filter(c -> Conditions.RECONCILE_ERROR.equals(c.getType()))
        .map(Condition::getLastTransitionTime)
        .findFirst().orElse(null);
    conditions.add(new ConditionBuilder()
        .withType(Conditions.RECONCILE_ERROR)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...")
        .withObservedGeneration(status.observedGeneration)
        .withLastTransitionTime(since != null ? since : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString())
        .build());
    status.conditions = conditions;
    return status;
  }

  /** The status without a ReconcileError condition: the reconcile that computed it succeeded. */
  public static MigrationRequestStatus cleared(MigrationRequestStatus status) {
    status.conditions = withoutError(status.conditions);
    return status;
  }

  private static List<Condition> withoutError(List<Condition> conditions) {
    return conditions == null ? new ArrayList<>() : new ArrayList<>(conditions.stream()
        .filter(c -> !Conditions.RECONCILE_ERROR.equals(c.getType()))
        .toList());
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
    return "the API server answered " + answer.getCode() + ": " + JobCreation.why(answer);
  }

  /** JOSDK wraps what the reconciler threw; the person reading the condition wants what was thrown. */
  private static Throwable unwrapped(Throwable error) {
    Throwable t = error;
    while (t instanceof io.javaoperatorsdk.operator.OperatorException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(Throwable error) {
    return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
  }
}
