package io.migrationgate.localcluster.planload;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What the load test sees of the requests through one watch of every namespace: each request's
 * phase, plan digest and Ready condition, the first failure of each, and which Ready reasons each
 * request went through (WaitingForPlanSlot, PlanRetrying, ...).
 */
final class RequestStates implements AutoCloseable {

  /** Phases no request of a load test should reach: nothing is wrong with any of them. */
  static final Set<String> FAILURES = Set.of("Failed", "Rejected", "Blocked");
  static final ResourceDefinitionContext REQUESTS = new ResourceDefinitionContext.Builder()
      .withGroup("migrationgate.io").withVersion("v1alpha1").withKind("MigrationRequest")
      .withPlural("migrationrequests").withNamespaced(true).build();

  /** A request seen in a failure phase, with the Ready condition that says why. */
  record Failure(String request, String phase, String reason, String message) {
    String line() {
      return request + ": " + phase + " / " + reason + ": " + message;
    }
  }

  private final Map<String, String> phases = new ConcurrentHashMap<>();
  private final Map<String, String> digests = new ConcurrentHashMap<>();
  private final Map<String, Failure> failures = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> reasons = new ConcurrentHashMap<>();
  private final SharedIndexInformer<GenericKubernetesResource> informer;

  RequestStates(KubernetesClient admin) {
    informer = admin.genericKubernetesResources(REQUESTS).inAnyNamespace().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource request) {
        seen(request);
      }

      @Override
      public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource request) {
        seen(request);
      }

      @Override
      public void onDelete(GenericKubernetesResource request, boolean unknownFinalState) {
        // the floor's namespace goes away once measured; nothing of the load's is deleted
      }
    });
  }

  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private synchronized void seen(GenericKubernetesResource request) {
    String key = key(request.getMetadata().getNamespace(), request.getMetadata().getName());
    Map<?, ?> status = request.getAdditionalProperties().get("status") instanceof Map<?, ?> s ? s : Map.of();
    String phase = status.get("phase") instanceof String p ? p : "";
    phases.put(key, phase);
    if (status.get("plan") instanceof Map<?, ?> plan && plan.get("digest") instanceof String digest) {
      digests.put(key, digest);
    }
    Map<?, ?> ready = readyCondition(status);
    String reason = String.valueOf(ready.get("reason"));
    if (ready.get("reason") != null) {
      reasons.computeIfAbsent(reason, r -> ConcurrentHashMap.newKeySet()).add(key);
    }
    if (FAILURES.contains(phase)) {
      failures.putIfAbsent(key, new Failure(key, phase, reason, String.valueOf(ready.get("message"))));
    }
    notifyAll();
  }

  private static Map<?, ?> readyCondition(Map<?, ?> status) {
    if (status.get("conditions") instanceof List<?> conditions) {
      for (Object condition : conditions) {
        if (condition instanceof Map<?, ?> c && "Ready".equals(c.get("type"))) {
          return c;
        }
      }
    }
    return Map.of();
  }

  /**
   * Waits until the phase of every request of {@code keys} passes {@code done}; true when that
   * happened within {@code timeout}. Each status change wakes it, so the moment it returns is the
   * moment the last request got there, to a few milliseconds.
   */
  synchronized boolean await(Collection<String> keys, Predicate<String> done, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!keys.stream().allMatch(k -> done.test(phase(k)))) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, Math.min(left / 1_000_000, 1000)));
    }
    return true;
  }

  String phase(String key) {
    return phases.getOrDefault(key, "");
  }

  Optional<String> digest(String key) {
    return Optional.ofNullable(digests.get(key));
  }

  /** How many of {@code keys} are in each phase ("" for none yet). */
  Map<String, Long> phaseCounts(Collection<String> keys) {
    return keys.stream().collect(Collectors.groupingBy(this::phase, TreeMap::new, Collectors.counting()));
  }

  List<Failure> failures(Collection<String> keys) {
    return keys.stream().map(failures::get).filter(f -> f != null).toList();
  }

  /** For each Ready reason seen, how many of {@code keys} showed it at least once. */
  Map<String, Long> reasonsSeen(Collection<String> keys) {
    Set<String> ours = Set.copyOf(keys);
    Map<String, Long> counts = new TreeMap<>();
    reasons.forEach((reason, requests) -> {
      long count = requests.stream().filter(ours::contains).count();
      if (count > 0) {
        counts.put(reason, count);
      }
    });
    return counts;
  }

  @Override
  public void close() {
    informer.close();
  }
}
