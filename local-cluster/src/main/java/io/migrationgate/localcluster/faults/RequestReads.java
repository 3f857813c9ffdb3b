package io.migrationgate.localcluster.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.migrationgate.localcluster.Kubectl;
import io.migrationgate.localcluster.Processes;
import io.migrationgate.localcluster.faults.FaultPlan.PlannedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Reading the requests, and waiting on them, through an API server that the faults stop, stall and
 * restart: an error is "not yet", never the end of the run, until a bound passes.
 */
final class RequestReads {

  /** How long a request-level fault waits for its moment (a Job, a running pod, a running blocker). */
  static final Duration MOMENT = Duration.ofSeconds(90);
  /**
   * How long a fault on one request's Job or pod waits for it: a request may wait minutes for a plan
   * slot or for the runs before it on its database, on a loaded machine longer than {@link #MOMENT}
   * (seed 1802 skipped 11 such faults at 90 s), so these wait until the request is past the point.
   */
  static final Duration TURN = Duration.ofMinutes(30);
  private static final Set<String> SETTLED = Set.of("Succeeded", "Failed", "Rejected", "Blocked");

  private final KubernetesClient client;

  RequestReads(KubernetesClient client) {
    this.client = client;
  }

  List<JsonNode> requests() {
    return client.genericKubernetesResources("migrationgate.io/v1alpha1", "MigrationRequest").inAnyNamespace()
        .list().getItems().stream().map(RequestReads::json).toList();
  }

  /** The request as the API server has it now; a missing node when it is not there. */
  JsonNode request(PlannedRequest r) {
    GenericKubernetesResource found = client.genericKubernetesResources("migrationgate.io/v1alpha1",
        "MigrationRequest").inNamespace(r.namespace()).withName(r.name()).get();
    return found == null ? Serialization.jsonMapper().missingNode() : json(found);
  }

  static boolean settled(JsonNode request) {
    return SETTLED.contains(request.at("/status/phase").asText());
  }

  /** The text at {@code pointer}, or null when it is absent, null or blank. */
  static String text(JsonNode node, String pointer) {
    JsonNode at = node.at(pointer);
    return at.isMissingNode() || at.isNull() || at.asText().isBlank() ? null : at.asText();
  }

  /** Polls {@code step} until it returns true (API errors count as not yet) or {@link #MOMENT} passes. */
  static boolean until(BooleanSupplier step, Duration poll) {
    return until(step, poll, MOMENT);
  }

  /**
   * Polls {@code step} until it returns true, or until the request is {@code past} the moment the
   * step waits for (then false), or {@link #TURN} passes.
   */
  boolean untilTurnOf(PlannedRequest r, Predicate<JsonNode> past, BooleanSupplier step, Duration poll) {
    return poll(() -> step.getAsBoolean() ? Boolean.TRUE : past.test(request(r)) ? Boolean.FALSE : null, poll, TURN);
  }

  static boolean until(BooleanSupplier step, Duration poll, Duration timeout) {
    return poll(() -> step.getAsBoolean() ? Boolean.TRUE : null, poll, timeout);
  }

  /** The answer of {@code step}: true or false ends the wait, null (or an API error) is "not yet". */
  private static boolean poll(Supplier<Boolean> step, Duration poll, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        Boolean answer = step.get();
        if (answer != null) {
          return answer;
        }
      } catch (KubernetesClientException e) {
        // the API server is down or stalled by another fault: try again
      }
      Processes.sleep(poll.toMillis());
    }
    return false;
  }

  /** Runs a kubectl command until it succeeds; people retry when the API server is away. */
  static void retry(String what, Supplier<Kubectl.Result> command) {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    Kubectl.Result result = command.get();
    while (!result.ok()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + " kept failing: " + result);
      }
      Processes.sleep(500);
      result = command.get();
    }
  }

  private static JsonNode json(GenericKubernetesResource resource) {
    return Serialization.jsonMapper().valueToTree(resource);
  }
}
