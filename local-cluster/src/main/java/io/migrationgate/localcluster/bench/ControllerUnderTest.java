package io.migrationgate.localcluster.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.migrationgate.localcluster.LocalUser;
import io.migrationgate.localcluster.OperatorProcess;
import io.migrationgate.localcluster.Processes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * One of the two controllers of a round, in its own namespace: its process, and what the benchmark
 * sees of it through its own watches (requests reaching AwaitingApproval, Jobs appearing), timed on
 * this JVM's monotonic clock.
 */
final class ControllerUnderTest implements AutoCloseable {

  static final String APPROVED_DIGEST = "migrationgate.io/approved-digest";
  /** Requests created at once, as many clients of a GitOps sync or a script would. */
  private static final int CREATE_THREADS = 16;

  final String name;
  final String namespace;
  final OperatorProcess process;
  /** How many requests the controller has taken in since it started; from its /metrics or /readyz. */
  private final ToLongFunction<String> reconciledCount;
  private final KubernetesClient admin;
  private final Set<String> awaiting = ConcurrentHashMap.newKeySet();
  private final Map<String, CompletableFuture<Long>> jobSeen = new ConcurrentHashMap<>();
  private final SharedIndexInformer<GenericKubernetesResource> requests;
  private final SharedIndexInformer<Job> jobs;
  private volatile int burstTarget = Integer.MAX_VALUE;
  private volatile CompletableFuture<Long> allAwaiting = new CompletableFuture<>();

  ControllerUnderTest(String name, String namespace, OperatorProcess process, ToLongFunction<String> reconciledCount,
      KubernetesClient admin) {
    this.name = name;
    this.namespace = namespace;
    this.process = process;
    this.reconciledCount = reconciledCount;
    this.admin = admin;
    this.requests = admin.genericKubernetesResources(MinimalController.REQUESTS).inNamespace(namespace)
        .inform(onAddOrUpdate(this::seen));
    this.jobs = admin.batch().v1().jobs().inNamespace(namespace).inform(onAddOrUpdate(this::jobSeen));
  }

  /** Nothing is deleted during a round, and the first sight of a change is what is timed. */
  private static <T> ResourceEventHandler<T> onAddOrUpdate(Consumer<T> sight) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        sight.accept(object);
      }

      @Override
      public void onUpdate(T old, T object) {
        sight.accept(object);
      }

      @Override
      public void onDelete(T object, boolean unknownFinalState) {
        // nothing to time
      }
    };
  }

  private void jobSeen(Job job) {
    long now = System.nanoTime();
    for (OwnerReference owner : job.getMetadata().getOwnerReferences()) {
      if ("MigrationRequest".equals(owner.getKind())) {
        jobSeen.computeIfAbsent(owner.getName(), k -> new CompletableFuture<>()).complete(now);
      }
    }
  }

  private void seen(GenericKubernetesResource request) {
    long now = System.nanoTime();
    if ("AwaitingApproval".equals(MinimalController.phase(request)) && awaiting.add(request.getMetadata().getName())
        && awaiting.size() >= burstTarget) {
      allAwaiting.complete(now);
    }
  }

  /** Times of a burst, in nanoseconds of this JVM's monotonic clock. */
  record Burst(long firstCreate, long lastCreateReturned, long allAwaiting) {
    double fromFirstSeconds() {
      return (allAwaiting - firstCreate) / 1e9;
    }

    /** 0 when every request was AwaitingApproval before the last create returned. */
    double afterLastSeconds() {
      return Math.max(0, allAwaiting - lastCreateReturned) / 1e9;
    }
  }

  /** Creates {@code yamls} at once as {@code requester} and waits until all are AwaitingApproval. */
  Burst burst(List<String> yamls, KubernetesClient requester, Duration timeout) throws InterruptedException {
    awaiting.clear();
    allAwaiting = new CompletableFuture<>();
    burstTarget = yamls.size();
    List<GenericKubernetesResource> bodies = yamls.stream()
        .map(y -> Serialization.unmarshal(y, GenericKubernetesResource.class)).toList();
    ExecutorService creators = Executors.newFixedThreadPool(CREATE_THREADS);
    try {
      long first = System.nanoTime();
      List<Future<?>> created = new ArrayList<>();
      for (GenericKubernetesResource body : bodies) {
        created.add(creators.submit(() -> requester.resource(body).create()));
      }
      for (Future<?> f : created) {
        f.get();
      }
      long last = System.nanoTime();
      long all = allAwaiting.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Burst(first, last, all);
    } catch (ExecutionException e) {
      throw new BenchmarkFailure(name + ": a create failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new BenchmarkFailure(name + ": only " + awaiting.size() + " of " + yamls.size()
          + " requests reached AwaitingApproval within " + timeout.toSeconds() + " s");
    } finally {
      creators.shutdownNow();
    }
  }

  /**
   * Approves {@code request} as {@code approver} (approved-by in their own name, and approved-digest
   * pinned to the plan in status where there is one) and waits for its Job; nanoseconds from the
   * moment the approval write returned to the first sight of the Job on this JVM's watch.
   */
  long approve(String request, KubernetesClient approver, Duration timeout) throws InterruptedException {
    CompletableFuture<Long> job = jobSeen.computeIfAbsent(request, k -> new CompletableFuture<>());
    GenericKubernetesResource cached = requests.getStore().getByKey(namespace + "/" + request);
    Object digest = cached == null ? null : planDigest(cached);
    String annotations = "\"" + MinimalController.APPROVED_BY + "\":\"" + LocalUser.APPROVER.userName() + "\""
        + (digest == null ? "" : ",\"" + APPROVED_DIGEST + "\":\"" + digest + "\"");
    approver.genericKubernetesResources(MinimalController.REQUESTS).inNamespace(namespace).withName(request)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{" + annotations + "}}}");
    long returned = System.nanoTime();
    try {
      return job.get(timeout.toMillis(), TimeUnit.MILLISECONDS) - returned;
    } catch (ExecutionException | TimeoutException e) {
      throw new BenchmarkFailure(name + ": no Job for approved request " + namespace + "/" + request + " within "
          + timeout.toSeconds() + " s");
    }
  }

  private static Object planDigest(GenericKubernetesResource request) {
    Object status = request.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> s && s.get("plan") instanceof Map<?, ?> plan ? plan.get("digest") : null;
  }

  int jobCount() {
    return admin.batch().v1().jobs().inNamespace(namespace).list().getItems().size();
  }

  int awaitingCount() {
    return awaiting.size();
  }

  /** What a restart took: to /readyz 200, and to having taken in all {@code n} requests. */
  record Restart(double toReadySeconds, double toAllSeconds) {}

  /** Starts the process and times it to /readyz, then to {@code n} requests taken in. */
  Restart start(int n, Duration timeout) throws IOException {
    long started = System.nanoTime();
    process.start(timeout);
    long ready = System.nanoTime();
    String base = "http://127.0.0.1:" + process.port();
    long deadline = started + timeout.toNanos();
    while (reconciledCount.applyAsLong(base) < n) {
      if (System.nanoTime() > deadline) {
        throw new BenchmarkFailure(name + " took in only " + reconciledCount.applyAsLong(base) + " of " + n
            + " requests within " + timeout.toSeconds() + " s of its start");
      }
      Processes.sleep(50);
    }
    long all = System.nanoTime();
    return new Restart((ready - started) / 1e9, (all - started) / 1e9);
  }

  /** SIGTERM; seconds to exit, or empty when it had to be killed after {@code bound}. */
  OptionalDouble sigterm(Duration bound) {
    long sent = System.nanoTime();
    boolean exited = process.stop(bound);
    return exited ? OptionalDouble.of((System.nanoTime() - sent) / 1e9) : OptionalDouble.empty();
  }

  /** GET {@code url}'s body; empty when it does not answer (yet). */
  static String get(String url) {
    try {
      HttpResponse<String> response = HttpHolder.HTTP.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static final class HttpHolder {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  @Override
  public void close() {
    requests.close();
    jobs.close();
    if (process.isAlive()) {
      process.kill();
    }
  }
}
