package io.migrationgate.localcluster.planload;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.migrationgate.localcluster.ChartRelease;
import io.migrationgate.localcluster.Targets;
import io.migrationgate.localcluster.Kubectl;
import io.migrationgate.localcluster.LocalCluster;
import io.migrationgate.localcluster.LocalPostgres;
import io.migrationgate.localcluster.LocalUser;
import io.migrationgate.localcluster.OperatorProcess;
import io.migrationgate.localcluster.Processes;
import io.migrationgate.localcluster.Yaml;
import io.migrationgate.localcluster.bench.MinimalController;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * One load test of the default path: the chart installed with helm, the operator as its
 * ServiceAccount with the chart's settings (so the database plan on), the process kubelet running
 * every Job. N requests on M databases in K namespaces are created at once by the requester with
 * kubectl, several at a time as a GitOps sync applies them; once all are planned the approver
 * approves each, pinned to its plan digest as the kubectl plugin does; then all must succeed.
 * Before the operator starts, the minimal controller (no plan) takes the same burst in a namespace
 * of its own: its time is the floor for "all AwaitingApproval".
 */
public final class PlanLoadRun {

  /**
   * {@code parallel}: kubectl processes creating (and later approving) at once. {@code seed}
   * shuffles the order of creates and approvals. {@code phaseTimeout} bounds each wait (all
   * planned, all finished). {@code chart}: the Helm chart installed. {@code classpath}: what the
   * minimal controller's JVM runs with.
   */
  public record Settings(int requests, int databases, int namespaces, int parallel, long seed,
      Duration phaseTimeout, Path workDir, Path jar, Path chart, String classpath) {}

  static final String SCRIPTS = "load-scripts";
  static final String FLOOR_NAMESPACE = "load-floor";
  static final String SUCCEEDED = "Succeeded";
  private static final String AWAITING = "AwaitingApproval";
  private static final String APPROVER_FIELD_MANAGER = "migration-gate-approver";
  private static final Duration RBAC_SEEN = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Settings settings;
  private final PrintStream out;
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  private LocalCluster cluster;
  private ChartRelease release;

  private PlanLoadRun(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  public static PlanLoadReport run(Settings settings, PrintStream out) throws IOException, SQLException,
      InterruptedException {
    return new PlanLoadRun(settings, out).run();
  }

  private PlanLoadReport run() throws IOException, SQLException, InterruptedException {
    out.printf(Locale.ROOT, "plan load: N=%d requests, M=%d databases, K=%d namespaces, %d kubectl at a time,"
        + " seed %d; jar %s%n", settings.requests(), settings.databases(), settings.namespaces(), settings.parallel(),
        settings.seed(), settings.jar());
    out.printf("machine: %d CPUs, load %s%n", Runtime.getRuntime().availableProcessors(), Processes.loadAverage());
    cluster = LocalCluster.start(settings.workDir(), settings.jar(), Map.of());
    // Ctrl-C must not leave the operator, etcd, pods or PostgreSQL running
    Thread stopAll = new Thread(this::stopAll, "plan-load-stop");
    Runtime.getRuntime().addShutdownHook(stopAll);
    try {
      // The local cluster lowers the recheck interval for its tests; a Queued run waits for it, so
      // the load test installs the chart's own default.
      String recheck = chartDefaults(settings.chart()).path("recheckInterval").asText();
      release = ChartRelease.install(cluster, settings.workDir(), settings.chart(), settings.jar(),
          "recheckInterval=" + recheck);
      JsonNode values = JSON.readTree(release.helm("get", "values", ChartRelease.RELEASE, "--namespace",
          ChartRelease.NAMESPACE, "--all", "--output", "json"));
      step("chart installed: recheckInterval " + values.path("recheckInterval").asText() + ", databasePlan "
          + values.path("databasePlan") + ", reconcileThreads " + values.path("reconcileThreads"));
      List<LoadRequest> requests = prepare();
      KubernetesClient admin = cluster.controlPlane().admin();
      Map<String, String> databaseOf = new LinkedHashMap<>();
      requests.forEach(r -> databaseOf.put(r.key(), r.database()));
      try (RequestStates states = new RequestStates(admin);
          JobActivity jobs = new JobActivity(admin, databaseOf::get)) {
        double floor = floor(states);
        release.startOperator();
        step("operator started as " + ChartRelease.SA_USER);
        try (ConnectionSampler connections = new ConnectionSampler(cluster.postgres().connect("postgres"))) {
          return measure(requests, states, jobs, connections, floor, values.path("databasePlan"));
        }
      }
    } finally {
      stopAll();
      Runtime.getRuntime().removeShutdownHook(stopAll);
    }
  }

  private synchronized void stopAll() {
    if (release != null) {
      release.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private void step(String what) {
    out.printf("[plan load] %s (load %s)%n", what, Processes.loadAverage());
  }

  /** Databases registered as targets, namespaces with the requester's scripts, and the requests, in a seeded order. */
  private List<LoadRequest> prepare() throws SQLException {
    List<String> databases = new ArrayList<>();
    for (int d = 0; d < settings.databases(); d++) {
      String database = String.format(Locale.ROOT, "load_db_%02d", d);
      String url = cluster.postgres().createDatabase(database);
      adminApplies(Targets.yaml(url, LocalPostgres.MIGRATOR, cluster.postgres().password()));
      databases.add(database);
    }
    List<String> namespaces = new ArrayList<>();
    for (int k = 0; k < settings.namespaces(); k++) {
      String namespace = "load-ns-" + k;
      createNamespace(namespace);
      requesterApplies(Yaml.scripts(namespace, SCRIPTS, Map.of(
          "V1__create_orders.sql", "create table orders (id bigint primary key);\n",
          "V2__add_status.sql", "alter table orders add column status text not null default 'new';\n")));
      namespaces.add(namespace);
    }
    // namespace by request number, database by request number over K: every namespace reaches every database
    List<LoadRequest> requests = new ArrayList<>(IntStream.range(0, settings.requests())
        .mapToObj(i -> request(i, namespaces.get(i % namespaces.size()),
            databases.get((i / namespaces.size()) % databases.size())))
        .toList());
    Collections.shuffle(requests, new Random(settings.seed()));
    step(databases.size() + " databases and " + namespaces.size() + " namespaces ready");
    return requests;
  }

  private static LoadRequest request(int number, String namespace, String database) {
    return new LoadRequest(number, namespace, String.format(Locale.ROOT, "load-%04d", number), database,
        String.format(Locale.ROOT, "s_%04d", number));
  }

  /** A dev namespace for requester and approver, once the authorizer sees its bindings (a moment after they exist). */
  private void createNamespace(String namespace) {
    cluster.createNamespace(namespace, Map.of("environment", "dev"));
    Kubectl requester = cluster.kubectl(LocalUser.REQUESTER);
    await().atMost(RBAC_SEEN).pollInterval(Duration.ofMillis(200)).until(() -> requester
        .run("auth", "can-i", "create", "migrationrequests.migrationgate.io", "-n", namespace).out().strip()
        .equals("yes"));
  }

  /** As a platform engineer registering the load test's databases. */
  private void adminApplies(String yaml) {
    Kubectl.Result applied = cluster.kubectl(LocalUser.ADMIN).runWithInput(yaml, "apply", "-f", "-");
    if (!applied.ok()) {
      throw new IllegalStateException("the admin could not apply: " + applied);
    }
  }

  private void requesterApplies(String yaml) {
    Kubectl.Result applied = cluster.kubectl(LocalUser.REQUESTER).runWithInput(yaml, "apply", "-f", "-");
    if (!applied.ok()) {
      throw new IllegalStateException("the requester could not apply: " + applied);
    }
  }

  private String requestYaml(LoadRequest r) {
    return Yaml.request(r.namespace(), r.name(), """
        workOrder: WO-LOAD-%d
        reason: load test of the default path
        migrationTargetName: %s
        migrations: {configMap: {name: %s}}
        flyway: {schemas: [%s]}
        timeout: 5m
        """.formatted(r.number(), Targets.nameOf(cluster.postgres().url(r.database())), SCRIPTS, r.schema()));
  }

  /**
   * The same burst taken by the minimal controller (a status patch per request, no plan), signed
   * in as the operator's ServiceAccount since the chart lets only it write status. Its namespace is
   * deleted before the operator starts, which would otherwise plan those requests too.
   */
  private double floor(RequestStates states) throws IOException, InterruptedException {
    createNamespace(FLOOR_NAMESPACE);
    List<LoadRequest> requests = IntStream.range(0, settings.requests())
        .mapToObj(i -> request(i, FLOOR_NAMESPACE, "load_db_00")).toList();
    OperatorProcess minimal = new OperatorProcess(List.of("-XX:TieredStopAtLevel=1"),
        List.of("-cp", settings.classpath(), MinimalController.class.getName()), "minimal",
        release.operatorKubeconfig(), Files.createDirectories(settings.workDir().resolve("logs")),
        Map.of("MG_WATCH_NAMESPACES", FLOOR_NAMESPACE));
    try {
      minimal.start(ChartRelease.START_TIMEOUT);
      long first = System.nanoTime();
      burst(requests);
      List<String> keys = requests.stream().map(LoadRequest::key).toList();
      if (!states.await(keys, AWAITING::equals, settings.phaseTimeout())) {
        problems.add("the minimal controller brought only " + states.phaseCounts(keys) + " of " + keys.size()
            + " requests to AwaitingApproval within " + settings.phaseTimeout().toSeconds() + " s");
      }
      double seconds = (System.nanoTime() - first) / 1e9;
      step(String.format(Locale.ROOT, "minimal controller: all %d AwaitingApproval %.2f s after the first create",
          keys.size(), seconds));
      return seconds;
    } finally {
      minimal.close();
      cluster.controlPlane().admin().namespaces().withName(FLOOR_NAMESPACE).delete();
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
          .until(() -> cluster.controlPlane().admin().namespaces().withName(FLOOR_NAMESPACE).get() == null);
    }
  }

  /** The requester applies every request, {@code parallel} kubectl processes at a time, as a sync does. */
  private void burst(List<LoadRequest> requests) throws InterruptedException {
    Kubectl requester = cluster.kubectl(LocalUser.REQUESTER);
    parallel(requests, r -> {
      Kubectl.Result created = requester.runWithInput(requestYaml(r), "apply", "-f", "-");
      if (!created.ok()) {
        problems.add("the requester's create of " + r.key() + " was refused: " + created.err().strip());
      }
    });
  }

  /** Runs {@code each} for every request on {@code parallel} threads. */
  private void parallel(List<LoadRequest> requests, Consumer<LoadRequest> each) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(settings.parallel());
    try {
      List<Future<?>> done = new ArrayList<>();
      for (LoadRequest r : requests) {
        done.add(pool.submit(() -> each.accept(r)));
      }
      for (Future<?> f : done) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          problems.add("a kubectl call threw: " + e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The burst, the wait for every plan, the approvals and the wait for every run; then the checks. */
  private PlanLoadReport measure(List<LoadRequest> requests, RequestStates states, JobActivity jobs,
      ConnectionSampler connections, double floor, JsonNode planValues)
      throws InterruptedException, SQLException {
    List<String> keys = requests.stream().map(LoadRequest::key).toList();
    step("burst of " + requests.size() + " creates, " + settings.parallel() + " kubectl at a time");
    long firstCreate = System.nanoTime();
    burst(requests);
    double createsSeconds = (System.nanoTime() - firstCreate) / 1e9;
    boolean planned = states.await(keys, p -> p.equals(AWAITING) || p.equals(SUCCEEDED)
        || RequestStates.FAILURES.contains(p), settings.phaseTimeout());
    double plannedSeconds = (System.nanoTime() - firstCreate) / 1e9;
    String plannedLoad = Processes.loadAverage();
    if (!planned) {
      problems.add("not all planned within " + settings.phaseTimeout().toSeconds() + " s: " + states.phaseCounts(keys));
    }
    step("planned: " + states.phaseCounts(keys));

    List<LoadRequest> awaiting = requests.stream().filter(r -> states.phase(r.key()).equals(AWAITING)).toList();
    Kubectl approver = cluster.kubectl(LocalUser.APPROVER);
    long firstApproval = System.nanoTime();
    parallel(awaiting, r -> {
      String digest = states.digest(r.key()).orElse("");
      Kubectl.Result approved = approver.run("annotate", "--overwrite", "--field-manager=" + APPROVER_FIELD_MANAGER,
          "mr", r.name(), "-n", r.namespace(), "migrationgate.io/approved-by=" + LocalUser.APPROVER.userName(),
          "migrationgate.io/approved-digest=" + digest);
      if (!approved.ok()) {
        problems.add("the approval of " + r.key() + " was refused: " + approved.err().strip());
      }
    });
    step(awaiting.size() + " approved, each pinned to its plan digest");
    List<String> approvedKeys = awaiting.stream().map(LoadRequest::key).toList();
    boolean finished = states.await(approvedKeys, p -> p.equals(SUCCEEDED) || RequestStates.FAILURES.contains(p),
        settings.phaseTimeout());
    double succeededSeconds = (System.nanoTime() - firstApproval) / 1e9;
    String succeededLoad = Processes.loadAverage();
    if (!finished) {
      problems.add("not all approved requests finished within " + settings.phaseTimeout().toSeconds() + " s: "
          + states.phaseCounts(approvedKeys));
    }
    step("finished: " + states.phaseCounts(keys));

    PlanLoadChecks.Timings timings = new PlanLoadChecks.Timings(createsSeconds, plannedSeconds, plannedLoad,
        succeededSeconds, succeededLoad, floor);
    return new PlanLoadChecks(cluster.postgres(), out, problems).report(requests, states, jobs, connections, timings,
        planValues);
  }

  /** The chart's values.yaml: its defaults. */
  private static JsonNode chartDefaults(Path chart) throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(chart.resolve("values.yaml").toFile());
  }
}
