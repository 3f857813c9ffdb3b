package io.migrationgate.localcluster.bench;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.migrationgate.localcluster.ChartRelease;
import io.migrationgate.localcluster.Targets;
import io.migrationgate.localcluster.Kubectl;
import io.migrationgate.localcluster.LocalCluster;
import io.migrationgate.localcluster.LocalPostgres;
import io.migrationgate.localcluster.LocalUser;
import io.migrationgate.localcluster.Processes;
import io.migrationgate.localcluster.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where the time of one request's database plan goes on the local cluster, from the request's
 * creation to AwaitingApproval (docs/benchmarks.md, "The plan program's cost"): requests are
 * created one at a time, each on its own database, and watches on the requests, Jobs and pods note
 * when each step was seen. Then as many requests with {@code connectBeforeApproval: false}, for
 * the same figure without a plan. Prints each request's steps and their medians; asserts nothing.
 *
 * <p>The configuration users run: the chart installed with helm (its defaults: the database plan
 * on, every admission policy), the operator signed in as the chart's ServiceAccount.
 *
 * <p>Options: {@code --repo DIR} (the checkout whose chart is installed), {@code --jar FILE}
 * (default the checkout's operator/target/migration-gate.jar, which the runner pods run too),
 * {@code --requests N} (default 5). One control plane at a time on a shared machine: run it under
 * flock /tmp/mg-e2e.lock.
 */
public final class PlanTimeline {

  private static final String NS = "timeline";
  private static final String[] STEPS = {"request seen", "plan Job created", "pod created", "container running",
      "container ended", "Job complete", "AwaitingApproval"};

  private final Map<String, long[]> seen = new ConcurrentHashMap<>();

  private PlanTimeline() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    Path repo = Path.of(options.getOrDefault("--repo", ".")).toAbsolutePath().normalize();
    Path jar = Path.of(options.getOrDefault("--jar", repo.resolve("operator/target/migration-gate.jar").toString()));
    int requests = Integer.parseInt(options.getOrDefault("--requests", "5"));
    Path workDir = Files.createTempDirectory("mg-plan-timeline-");
    try (LocalCluster cluster = LocalCluster.start(workDir, jar, Map.of());
        ChartRelease release = ChartRelease.install(cluster, workDir, repo.resolve("helm/migration-gate"), jar)) {
      release.startOperator();
      cluster.createNamespace(NS, Map.of("environment", "dev"));
      new PlanTimeline().measure(cluster, requests);
    } finally {
      Processes.deleteTree(workDir);
    }
    System.exit(0);
  }

  private void measure(LocalCluster cluster, int requests) throws Exception {
    KubernetesClient client = cluster.controlPlane().admin();
    Kubectl requester = cluster.kubectl(LocalUser.REQUESTER);
    List<Watch> watches = List.of(
        client.genericKubernetesResources("migrationgate.io/v1alpha1", "MigrationRequest").inNamespace(NS)
            .watch(watcher(this::request)),
        client.batch().v1().jobs().inNamespace(NS).watch(watcher(this::job)),
        client.pods().inNamespace(NS).watch(watcher(this::pod)));
    try {
      List<long[]> planned = new ArrayList<>();
      List<Long> unplanned = new ArrayList<>();
      for (int i = 1; i <= requests * 2; i++) {
        boolean plan = i <= requests;
        String name = (plan ? "plan-" : "noplan-") + i;
        String url = cluster.postgres().createDatabase("timeline_" + i);
        String spec = """
            workOrder: WO-1234
            reason: add orders.status
            migrationTargetName: %s
            migrations:
              configMap: {name: %s}
            target: latest
            timeout: 5m
            """.formatted(Targets.nameOf(url), name + "-scripts") + (plan ? "" : "connectBeforeApproval: false\n");
        long[] steps = new long[STEPS.length];
        seen.put(name, steps);
        Kubectl.Result registered = cluster.kubectl(LocalUser.ADMIN).runWithInput(
            Targets.yaml(url, LocalPostgres.MIGRATOR, cluster.postgres().password()), "apply", "-f", "-");
        if (!registered.ok()) {
          throw new IllegalStateException("could not register the target of " + name + ": " + registered);
        }
        Kubectl.Result applied = requester.runWithInput(String.join("---\n",
            Yaml.scripts(NS, name + "-scripts", Map.of("V1__create_orders.sql", "create table orders (id bigint);\n",
                "V2__add_status.sql", "alter table orders add column status text;\n")),
            Yaml.request(NS, name, spec)), "apply", "-f", "-");
        if (!applied.ok()) {
          throw new IllegalStateException("could not create " + name + ": " + applied);
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (steps[STEPS.length - 1] == 0) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(name + " did not reach AwaitingApproval within 2 minutes");
          }
          Thread.sleep(20);
        }
        System.out.println(name + ": " + describe(steps));
        if (plan) {
          planned.add(steps);
        } else {
          unplanned.add(millis(steps[STEPS.length - 1] - steps[0]));
        }
      }
      System.out.println();
      System.out.println("medians of " + requests + " requests with the plan, each step from the one before:");
      for (int s = 1; s < STEPS.length; s++) {
        int step = s;
        System.out.printf("  %-18s %6d ms%n", STEPS[s], median(planned.stream()
            .mapToLong(steps -> steps[step] == 0 ? -1 : millis(steps[step] - steps[step - 1])).toArray()));
      }
      System.out.printf("  %-18s %6d ms%n", "request to AwaitingApproval",
          median(planned.stream().mapToLong(steps -> millis(steps[STEPS.length - 1] - steps[0])).toArray()));
      System.out.printf("without the plan (connectBeforeApproval: false): %d ms (%s)%n",
          median(unplanned.stream().mapToLong(Long::longValue).toArray()), unplanned);
      System.out.println("load average: " + Files.readString(Path.of("/proc/loadavg")).strip());
    } finally {
      watches.forEach(Watch::close);
    }
  }

  private void request(GenericKubernetesResource request) {
    Object status = request.getAdditionalProperties().get("status");
    String phase = status instanceof Map<?, ?> map ? String.valueOf(map.get("phase")) : "";
    note(request.getMetadata().getName(), 0);
    if (phase.equals("AwaitingApproval")) {
      note(request.getMetadata().getName(), 6);
    }
  }

  private void job(Job job) {
    String request = owner(job.getMetadata().getName());
    note(request, 1);
    if (job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals("Complete") && c.getStatus().equals("True"))) {
      note(request, 5);
    }
  }

  private void pod(Pod pod) {
    String jobName = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get("job-name");
    if (jobName == null) {
      return;
    }
    String request = owner(jobName);
    note(request, 2);
    List<ContainerStatus> containers = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
        ? List.of() : pod.getStatus().getContainerStatuses();
    for (ContainerStatus container : containers) {
      if (container.getState().getRunning() != null) {
        note(request, 3);
      }
      if (container.getState().getTerminated() != null) {
        note(request, 3);
        note(request, 4);
      }
    }
  }

  /** A plan Job is named after its request ({@code <request>-check-<n>}, maybe shortened). */
  private String owner(String jobName) {
    return seen.keySet().stream().filter(name -> jobName.startsWith(name + "-")).findFirst().orElse("");
  }

  /** The first time a step was seen for a request counts. */
  private void note(String request, int step) {
    long[] steps = seen.get(request);
    if (steps != null && steps[step] == 0) {
      steps[step] = System.nanoTime();
    }
  }

  private static <T> Watcher<T> watcher(java.util.function.Consumer<T> onEvent) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        onEvent.accept(resource);
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  private static String describe(long[] steps) {
    StringBuilder text = new StringBuilder();
    for (int s = 1; s < STEPS.length; s++) {
      if (steps[s] != 0) {
        text.append(STEPS[s]).append(" +").append(millis(steps[s] - steps[0])).append(" ms; ");
      }
    }
    return text.toString();
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
