package io.migrationgate.localcluster.bench;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.migrationgate.localcluster.ControlPlane;
import io.migrationgate.localcluster.LocalUser;
import io.migrationgate.localcluster.OperatorProcess;
import io.migrationgate.localcluster.Processes;
import io.migrationgate.localcluster.Rbac;
import io.migrationgate.localcluster.bench.Figure.Unit;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.IntStream;

/**
 * One round for one N: the operator and the minimal controller, each in a namespace of its own on
 * the same API server, measured one after the other step by step (burst, memory, approvals,
 * SIGTERM, idle writes, restart), so load drift during the round hits both alike.
 */
final class BenchmarkRound {

  static final String SOURCE = "bench-migrations";
  static final String SECRET = "bench-db";
  private static final String LEASE_IDENTITY = "bench-operator";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration JOB_PODS_TIMEOUT = Duration.ofSeconds(600);
  /** Kubernetes' default terminationGracePeriodSeconds: a process still alive then is killed. */
  static final Duration SIGTERM_BOUND = Duration.ofSeconds(30);
  /** Lets the last status writes, Events and informer resyncs of a burst finish before memory is read. */
  private static final Duration SETTLE = Duration.ofSeconds(5);
  private static final double MIB = 1024 * 1024;

  private final ControlPlane plane;
  private final OperatorBenchmark.Settings settings;
  private final int n;
  private final int round;
  private final PrintStream out;
  private final JvmProbe probe = new JvmProbe();
  private final List<Figure> figures = new ArrayList<>();

  BenchmarkRound(ControlPlane plane, OperatorBenchmark.Settings settings, int n, int round, PrintStream out) {
    this.plane = plane;
    this.settings = settings;
    this.n = n;
    this.round = round;
    this.out = out;
  }

  RoundResult run() throws IOException, InterruptedException {
    KubernetesClient admin = plane.admin();
    String suffix = n + "-r" + round;
    Path logDir = Files.createDirectories(settings.workDir().resolve("logs/" + suffix));
    List<String> flags = settings.jvm().flags();
    Path kubeconfig = plane.kubeconfig(LocalUser.ADMIN);
    String opNs = prepareNamespace("bench-op-" + suffix);
    String minNs = prepareNamespace("bench-min-" + suffix);
    // this control plane runs no kubelet, so no plan Job could finish: the database plan is off
    OperatorProcess operatorProcess = new OperatorProcess(flags, List.of("-jar", settings.jar().toString(), "operator"),
        "operator", kubeconfig, logDir, Map.of("MG_WATCH_NAMESPACES", opNs, "MG_DATABASE_PLAN", "false",
            "MG_LEADER_ELECTION", "true", "MG_LEASE_NAMESPACE", opNs, "MG_LEASE_IDENTITY", LEASE_IDENTITY,
            "MG_RECHECK_INTERVAL", "15s",
            // The ratio is of decisions on the same requests as the minimal controller's, which reads no target.
            "MG_INLINE_DATABASES", "true"));
    OperatorProcess minimalProcess = new OperatorProcess(flags,
        List.of("-cp", settings.classpath(), MinimalController.class.getName()), "minimal", kubeconfig, logDir,
        Map.of("MG_WATCH_NAMESPACES", minNs));
    try (KubernetesClient requester = plane.client(LocalUser.REQUESTER);
        KubernetesClient approver = plane.client(LocalUser.APPROVER);
        ControllerUnderTest operator = new ControllerUnderTest("operator", opNs, operatorProcess,
            BenchmarkRound::operatorRequests, admin);
        ControllerUnderTest minimal = new ControllerUnderTest("minimal", minNs, minimalProcess,
            BenchmarkRound::minimalRequests, admin)) {
      step("start both, 0 requests");
      ControllerUnderTest.Restart opStart = operator.start(0, START_TIMEOUT);
      ControllerUnderTest.Restart minStart = minimal.start(0, START_TIMEOUT);
      figures.add(Figure.both("start -> /readyz, 0 requests", Unit.SECONDS, opStart.toReadySeconds(),
          minStart.toReadySeconds()));
      Processes.sleep(SETTLE.toMillis());
      Memory opEmpty = memory(operator);
      Memory minEmpty = memory(minimal);
      addMemory("0 requests", opEmpty, minEmpty);

      // One burst after the other, never together: each gets the API server and both cores to
      // itself; the order flips every round so neither always runs on a warmer server.
      Duration timeout = Duration.ofSeconds(60).plusMillis(60L * n);
      step("burst of " + n + " creates, " + (round % 2 == 1 ? "operator first" : "minimal first"));
      ControllerUnderTest.Burst opBurst;
      ControllerUnderTest.Burst minBurst;
      if (round % 2 == 1) {
        opBurst = operator.burst(requests(opNs), requester, timeout);
        minBurst = minimal.burst(requests(minNs), requester, timeout);
      } else {
        minBurst = minimal.burst(requests(minNs), requester, timeout);
        opBurst = operator.burst(requests(opNs), requester, timeout);
      }
      figures.add(Figure.both("burst -> all AwaitingApproval, from 1st create", Unit.SECONDS,
          opBurst.fromFirstSeconds(), minBurst.fromFirstSeconds()));
      figures.add(Figure.both("burst -> all AwaitingApproval, after last create", Unit.SECONDS,
          opBurst.afterLastSeconds(), minBurst.afterLastSeconds()));

      Processes.sleep(SETTLE.toMillis());
      step("memory at rest with " + n + " requests");
      Memory opFull = memory(operator);
      Memory minFull = memory(minimal);
      addMemory(n + " requests at rest", opFull, minFull);
      figures.add(Figure.both("retained heap per request", Unit.BYTES, (opFull.heap - opEmpty.heap) / (double) n,
          (minFull.heap - minEmpty.heap) / (double) n));

      step(settings.approvals() + " approvals each, alternating");
      double[] opLatency = new double[settings.approvals()];
      double[] minLatency = new double[settings.approvals()];
      for (int i = 0; i < settings.approvals(); i++) {
        String name = requestName(i);
        if (i % 2 == 0) {
          opLatency[i] = operator.approve(name, approver, JOB_TIMEOUT) / 1e6;
          minLatency[i] = minimal.approve(name, approver, JOB_TIMEOUT) / 1e6;
        } else {
          minLatency[i] = minimal.approve(name, approver, JOB_TIMEOUT) / 1e6;
          opLatency[i] = operator.approve(name, approver, JOB_TIMEOUT) / 1e6;
        }
      }
      for (int p : new int[] {50, 90, 99}) {
        figures.add(Figure.both("approval -> Job seen, p" + p, Unit.MILLIS, percentile(opLatency, p),
            percentile(minLatency, p)));
      }

      awaitJobPods(admin, opNs, minNs);
      Processes.sleep(SETTLE.toMillis());
      step("SIGTERM the minimal controller; " + settings.idleSeconds() + " s idle with the operator alone");
      OptionalDouble minExit = minimal.sigterm(SIGTERM_BOUND);
      ApiWrites withOperator = idleWrites(admin);
      step("SIGTERM the operator; " + settings.idleSeconds() + " s idle with neither (baseline)");
      OptionalDouble opExit = operator.sigterm(SIGTERM_BOUND);
      figures.add(exitFigure(opExit, minExit));
      ApiWrites baseline = idleWrites(admin);
      figures.add(Figure.operatorOnly("API writes in " + settings.idleSeconds() + " s idle, operator running",
          Unit.COUNT, withOperator.total()));
      figures.add(Figure.operatorOnly("API writes in " + settings.idleSeconds() + " s idle, baseline", Unit.COUNT,
          baseline.total()));

      step("restart both with " + n + " requests present");
      ControllerUnderTest.Restart opRestart = operator.start(n, START_TIMEOUT.plusMillis(20L * n));
      ControllerUnderTest.Restart minRestart = minimal.start(n, START_TIMEOUT.plusMillis(20L * n));
      figures.add(Figure.both("start -> /readyz, " + n + " requests present", Unit.SECONDS,
          opRestart.toReadySeconds(), minRestart.toReadySeconds()));
      figures.add(Figure.both("start -> all " + n + " taken in", Unit.SECONDS, opRestart.toAllSeconds(),
          minRestart.toAllSeconds()));
      operator.sigterm(SIGTERM_BOUND);
      minimal.sigterm(SIGTERM_BOUND);
      return new RoundResult(n, round, List.copyOf(figures), withOperator, baseline, operator.awaitingCount(),
          minimal.awaitingCount(), operator.jobCount(), minimal.jobCount(), settings.approvals());
    }
  }

  private void step(String what) {
    out.printf("[N=%d round %d] %s (load %s)%n", n, round, what, Processes.loadAverage());
  }

  private String prepareNamespace(String name) {
    KubernetesClient admin = plane.admin();
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
        .addToLabels("environment", "benchmark").endMetadata().build()).create();
    Rbac.grant(admin, name);
    admin.secrets().inNamespace(name).resource(new SecretBuilder().withNewMetadata().withName(SECRET).endMetadata()
        .addToStringData("username", "migrator").addToStringData("password", "not-used").build()).create();
    admin.configMaps().inNamespace(name).resource(new ConfigMapBuilder().withNewMetadata().withName(SOURCE)
        .endMetadata()
        .addToData("V1__create_orders.sql", "create table orders (id bigint primary key, created_at timestamptz"
            + " not null default now());\n")
        .addToData("V2__add_status.sql", "alter table orders add column status text not null default 'new';\n")
        .build()).create();
    return name;
  }

  static String requestName(int i) {
    return String.format("r-%05d", i);
  }

  /**
   * Valid requests sharing one source; each names its own database, so the operator's one-run-per-
   * database queue never holds an approved request back (no Job ever finishes without a kubelet).
   * No chart stamps requested-by on this control plane, so the requester declares herself, as on a
   * cluster before Kubernetes 1.36; without it no approval would count.
   */
  private List<String> requests(String namespace) {
    return IntStream.range(0, n).mapToObj(i -> """
        apiVersion: migrationgate.io/v1alpha1
        kind: MigrationRequest
        metadata: {name: %1$s, namespace: %2$s, annotations: {migrationgate.io/requested-by: %6$s}}
        spec:
          workOrder: WO-BENCH-%3$d
          reason: benchmark
          database: {url: "jdbc:postgresql://orders-db:5432/orders_%3$d", credentialsSecret: %4$s}
          migrations: {configMap: {name: %5$s}}
        """.formatted(requestName(i), namespace, i, SECRET, SOURCE, LocalUser.REQUESTER.userName())).toList();
  }

  private record Memory(long rss, long heap) {}

  private Memory memory(ControllerUnderTest controller) {
    long pid = controller.process.pid();
    long rss = JvmProbe.rssBytes(pid);
    return new Memory(rss, probe.heapAfterFullGc(pid));
  }

  private void addMemory(String when, Memory operator, Memory minimal) {
    figures.add(Figure.both("RSS, " + when, Unit.MIB, operator.rss / MIB, minimal.rss / MIB));
    figures.add(Figure.both("heap after full GC, " + when, Unit.MIB, operator.heap / MIB, minimal.heap / MIB));
  }

  /**
   * The Job controller creates the Jobs' pods at its own pace, minutes after the last approval;
   * each pod also moves the operator (it records the pod) and posts Events. Idle starts once it
   * has caught up, or the window would count that backlog as the operator's idle writes.
   */
  private void awaitJobPods(KubernetesClient admin, String... namespaces) {
    long started = System.nanoTime();
    long deadline = started + JOB_PODS_TIMEOUT.toNanos();
    for (String namespace : namespaces) {
      int pods;
      while ((pods = admin.pods().inNamespace(namespace).list().getItems().size()) < settings.approvals()) {
        if (System.nanoTime() > deadline) {
          throw new BenchmarkFailure("the Job controller created only " + pods + " of " + settings.approvals()
              + " pods in " + namespace + " within " + JOB_PODS_TIMEOUT.toSeconds() + " s; idle writes would"
              + " count its backlog (see logs/kube-controller-manager.log)");
        }
        Processes.sleep(1000);
      }
    }
    step("the Job controller created every Job's pod " + (System.nanoTime() - started) / 1_000_000_000 + " s after"
        + " the last approval");
  }

  private ApiWrites idleWrites(KubernetesClient admin) {
    ApiWrites before = ApiWrites.parse(admin.raw("/metrics"));
    Processes.sleep(settings.idleSeconds() * 1000L);
    return ApiWrites.parse(admin.raw("/metrics")).since(before);
  }

  /** A process killed at the bound is recorded as the bound itself and named so in the report. */
  private static Figure exitFigure(OptionalDouble operator, OptionalDouble minimal) {
    double bound = SIGTERM_BOUND.toSeconds();
    String what = "SIGTERM -> exit" + (operator.isEmpty() || minimal.isEmpty() ? " (KILLED at "
        + SIGTERM_BOUND.toSeconds() + " s: " + (operator.isEmpty() ? "operator" : "minimal") + ")" : "");
    return Figure.both(what, Unit.SECONDS, operator.orElse(bound), minimal.orElse(bound));
  }

  /** Nearest-rank percentile. */
  static double percentile(double[] values, int p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  /** The /metrics gauge migrationgate_requests, summed over its phases. */
  static long operatorRequests(String base) {
    long total = 0;
    for (String line : ControllerUnderTest.get(base + "/metrics").split("\n")) {
      if (line.startsWith("migrationgate_requests{")) {
        total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  /** The minimal controller's /readyz says "ok &lt;requests in its cache&gt;" once its informer synced. */
  static long minimalRequests(String base) {
    String body = ControllerUnderTest.get(base + "/readyz");
    return body.startsWith("ok ") ? Long.parseLong(body.substring(3).strip()) : -1;
  }
}
