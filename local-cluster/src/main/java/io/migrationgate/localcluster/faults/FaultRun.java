package io.migrationgate.localcluster.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.migrationgate.localcluster.ChartRelease;
import io.migrationgate.localcluster.Kubectl;
import io.migrationgate.localcluster.LocalCluster;
import io.migrationgate.localcluster.LocalPostgres;
import io.migrationgate.localcluster.LocalUser;
import io.migrationgate.localcluster.Processes;
import io.migrationgate.localcluster.faults.Checks.HistoryRow;
import io.migrationgate.localcluster.faults.Checks.JobRecord;
import io.migrationgate.localcluster.faults.Checks.RequestRecord;
import io.migrationgate.localcluster.faults.Checks.Revocation;
import io.migrationgate.localcluster.faults.FaultPlan.Aim;
import io.migrationgate.localcluster.faults.FaultPlan.PlannedRequest;
import io.migrationgate.localcluster.faults.FaultPlan.ProcessFault;
import io.migrationgate.localcluster.faults.FaultPlan.Role;
import io.migrationgate.localcluster.faults.LaunchWindows.Hits;
import io.migrationgate.localcluster.faults.LaunchWindows.Launch;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One fault-injection run on a local cluster in the configuration users run (the chart installed
 * with helm, its policies, two operator replicas as its ServiceAccount, the database plan on):
 * submits the plan's requests, strikes the planning's faults while they are planned, approves them
 * wave by wave while the faults of each wave strike, then, faults over, waits for every request to
 * settle and checks the guarantees ({@link Checks}).
 */
public final class FaultRun {

  static final String APPROVED_BY = "migrationgate.io/approved-by";
  static final String REJECTED_BY = "migrationgate.io/rejected-by";
  /** How long an approver waits for one request's plan before approving it anyway. */
  private static final Duration PLANNED_WAIT = Duration.ofMinutes(10);
  private static final Set<String> SETTLED = Set.of("Succeeded", "Failed", "Rejected");
  /** How long a request-level fault waits for its moment (a Job, a running pod, a running blocker). */
  private static final Duration MOMENT = Duration.ofSeconds(90);

  /** {@code chart}: the Helm chart to install, {@code jar}: the operator's (and the runner's) jar. */
  public record Settings(int requests, int waveSize, long seed, Duration launchPause, Duration settleTimeout,
      Path workDir, Path jar, Path chart) {}

  private final Settings settings;
  private final FaultPlan plan;
  private final PrintStream out;
  private final long begun = System.nanoTime();
  private final Map<FaultKind, Integer> injected = Collections.synchronizedMap(new EnumMap<>(FaultKind.class));
  private final Map<Integer, Instant> approvalSent = new ConcurrentHashMap<>();
  private final Map<Integer, Revocation> revocations = new ConcurrentHashMap<>();
  private final List<String> skipped = Collections.synchronizedList(new ArrayList<>());
  private LaunchWindows.Caught windows = new LaunchWindows.Caught(Set.of(), Set.of());
  private LaunchWindows.Caught planWindows = new LaunchWindows.Caught(Set.of(), Set.of());
  private int sigterms;
  private int sigtermHangs;
  private LocalCluster cluster;
  private KubernetesClient client;
  private Replicas replicas;

  private FaultRun(Settings settings, PrintStream out) {
    this.settings = settings;
    this.plan = FaultPlan.generate(settings.seed(), settings.requests(), settings.waveSize());
    this.out = out;
  }

  public static FaultReport run(Settings settings, PrintStream out) throws IOException, SQLException {
    return new FaultRun(settings, out).run();
  }

  private FaultReport run() throws IOException, SQLException {
    String loadAtStart = Processes.loadAverage();
    out.printf("fault injection: seed=%d requests=%d waves=%d launch pause %d ms, load %s%n", plan.seed(),
        settings.requests(), plan.waves().size(), settings.launchPause().toMillis(), loadAtStart);
    cluster = LocalCluster.start(settings.workDir(), settings.jar(), ChartRelease.HARDENED_API_SERVER);
    // Ctrl-C or a hang-up must not leave operators, etcd or PostgreSQL running
    Thread stopAll = new Thread(this::stopAll, "fault-run-stop");
    Runtime.getRuntime().addShutdownHook(stopAll);
    try {
      client = cluster.controlPlane().admin();
      ChartRelease release = ChartRelease.install(cluster, settings.workDir(), settings.chart(), settings.jar());
      try (JobLog jobLog = new JobLog(cluster.controlPlane().client(LocalUser.ADMIN))) {
        submit();
        replicas = new Replicas(client, release, settings.workDir().resolve("logs"), settings.launchPause(),
            plan.seed());
        runPlanning();
        long firstApproval = System.nanoTime();
        for (FaultPlan.Wave wave : plan.waves()) {
          runWave(wave);
        }
        replicas.awaitAllUp(Duration.ofSeconds(180));
        log("faults over; waiting for every request to settle");
        awaitEvery(this::settled, settings.settleTimeout(), "a final phase");
        Duration timeToFinal = Duration.ofNanos(System.nanoTime() - firstApproval);
        List<JobRecord> jobs = new ArrayList<>(jobLog.records());
        Instant now = Instant.now();
        client.batch().v1().jobs().inAnyNamespace().list().getItems().forEach(j -> jobs.add(JobLog.of(j, now)));
        Checks.Figures figures = Checks.evaluate(requestRecords(), jobs, histories());
        return new FaultReport(plan, new EnumMap<>(injected), List.copyOf(skipped), windows.hits(), planWindows.hits(),
            sigterms, sigtermHangs, replicas.exitedOnTheirOwn(), replicas.restarts(), figures, timeToFinal,
            Duration.ofNanos(System.nanoTime() - begun), loadAtStart, Processes.loadAverage());
      }
    } finally {
      stopAll();
      Runtime.getRuntime().removeShutdownHook(stopAll);
    }
  }

  private synchronized void stopAll() {
    if (replicas != null) {
      replicas.close();
    }
    cluster.close();
  }

  // ---- requests ----

  private void submit() throws SQLException {
    Map<String, String> urls = new TreeMap<>();
    for (String database : plan.requests().stream().map(PlannedRequest::database).collect(Collectors.toSet())) {
      urls.put(database, cluster.postgres().createDatabase(database));
    }
    Map<String, List<PlannedRequest>> byNamespace = plan.requests().stream()
        .collect(Collectors.groupingBy(PlannedRequest::namespace, TreeMap::new, Collectors.toList()));
    Kubectl requester = cluster.kubectl(LocalUser.REQUESTER);
    byNamespace.forEach((namespace, requests) -> {
      cluster.createNamespace(namespace, Map.of("environment", "dev"));
      List<String> documents = new ArrayList<>(List.of(RequestYaml.secret(namespace, LocalPostgres.MIGRATOR,
          cluster.postgres().password())));
      requests.forEach(r -> documents.addAll(RequestYaml.request(r, urls.get(r.database()))));
      retry("submit to " + namespace, () -> requester.runWithInput(String.join("---\n", documents), "apply", "-f", "-"));
    });
    log("submitted %d requests in %d namespaces on %d databases", plan.requests().size(), byNamespace.size(),
        urls.size());
  }

  /**
   * The operators plan every request (a plan Job each) while the planning's faults strike; over when
   * every request awaits approval or has ended. Requests in its moment are hit in parallel.
   */
  private void runPlanning() {
    log("planning %d requests, faults %s", plan.requests().size(),
        plan.planning().stream().map(f -> f.kind().label()).toList());
    ExecutorService threads = Executors.newCachedThreadPool();
    try {
      List<Future<?>> work = new ArrayList<>();
      work.add(threads.submit(() -> plan.planning().forEach(this::strike)));
      plan.requests().stream().filter(r -> r.role() == Role.PLAN_POD_DELETE)
          .forEach(r -> work.add(threads.submit(() -> requestFault(r))));
      for (Future<?> done : work) {
        done.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("the planning failed: " + e.getMessage(), e);
    } finally {
      threads.shutdownNow();
    }
    awaitEvery(r -> "AwaitingApproval".equals(r.at("/status/phase").asText()) || settled(r),
        Duration.ofSeconds(180 + 6L * plan.requests().size()), "planned");
    log("planning over: %s", requests().stream().collect(Collectors.groupingBy(r -> r.at("/status/phase").asText(),
        TreeMap::new, Collectors.counting())));
  }

  private void runWave(FaultPlan.Wave wave) {
    log("wave %d: %d requests, faults %s", wave.index(), wave.requests().size(),
        wave.faults().stream().map(f -> f.kind().label()).toList());
    ExecutorService threads = Executors.newCachedThreadPool();
    try {
      List<Future<?>> work = new ArrayList<>();
      work.add(threads.submit(() -> wave.faults().forEach(this::strike)));
      for (int index : wave.requests()) {
        PlannedRequest request = plan.requests().get(index);
        if (request.role() != Role.PLAIN && request.role() != Role.BLOCKER && request.role() != Role.PLAN_POD_DELETE) {
          work.add(threads.submit(() -> requestFault(request)));
        }
      }
      wave.requests().stream().map(plan.requests()::get)
          .filter(r -> !r.approvedLate())
          .sorted((a, b) -> Boolean.compare(b.role() == Role.BLOCKER, a.role() == Role.BLOCKER))
          .forEach(this::approve);
      for (Future<?> done : work) {
        done.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("wave " + wave.index() + " failed: " + e.getMessage(), e);
    } finally {
      threads.shutdownNow();
    }
  }

  private void approve(PlannedRequest r) {
    awaitPlanned(r);
    approvalSent.put(r.index(), Instant.now());
    retry("approve " + r.name(), () -> cluster.kubectl(LocalUser.APPROVER).run("annotate", "--overwrite", "mr",
        r.name(), "-n", r.namespace(), APPROVED_BY + "=" + LocalUser.APPROVER.userName()));
  }

  // ---- faults on processes ----

  private void strike(ProcessFault fault) {
    Processes.sleep(fault.delayMs());
    try {
      boolean struck = switch (fault.kind()) {
        case LEADER_KILL, PLAN_LEADER_KILL -> killLeader(fault.aim());
        case STANDBY_KILL -> awaitReplica(replicas::standby).map(r -> {
          replicas.kill(r);
          log("standby kill %s", r.identity);
          return true;
        }).orElse(false);
        case LEADER_SIGTERM -> awaitReplica(replicas::leader).map(this::terminate).orElse(false);
        case API_SERVER_RESTART -> {
          cluster.controlPlane().restartApiServer(Duration.ofMillis(fault.downtimeMs()), Map.of());
          log("apiserver restarted after %d ms down", fault.downtimeMs());
          yield true;
        }
        case API_SERVER_STALL -> {
          cluster.controlPlane().pauseApiServer();
          try {
            Processes.sleep(fault.downtimeMs());
          } finally {
            cluster.controlPlane().resumeApiServer();
          }
          log("apiserver stalled (SIGSTOP) for %d ms", fault.downtimeMs());
          yield true;
        }
        case ETCD_RESTART -> {
          cluster.controlPlane().restartEtcd(Duration.ofMillis(fault.downtimeMs()));
          log("etcd restarted after %d ms down", fault.downtimeMs());
          yield true;
        }
        case DATABASE_RESTART -> {
          if (!until(() -> !runningPlanPods().isEmpty(), Duration.ofMillis(100))) {
            yield false;
          }
          int running = runningPlanPods().size();
          cluster.postgres().restart(Duration.ofMillis(fault.downtimeMs()));
          log("database restarted after %d ms down, %d plan pods were running", fault.downtimeMs(), running);
          yield true;
        }
        case WATCH_DISCONNECTS -> {
          cluster.controlPlane().restartApiServer(Duration.ZERO, Map.of("--min-request-timeout", "3"));
          log("apiserver restarted with --min-request-timeout=3 for %d ms", fault.downtimeMs());
          Processes.sleep(fault.downtimeMs());
          cluster.controlPlane().restartApiServer(Duration.ZERO, Map.of("--min-request-timeout", "1800"));
          yield true;
        }
        default -> throw new IllegalArgumentException(fault.kind() + " is not a process fault");
      };
      if (struck) {
        injected.merge(fault.kind(), 1, Integer::sum);
      } else {
        skip(fault.kind(), fault.kind() == FaultKind.DATABASE_RESTART ? "no plan pod was seen running"
            : "no replica in that role was up");
      }
    } catch (IOException e) {
      throw new IllegalStateException(fault.kind().label() + " failed: " + e.getMessage(), e);
    }
  }

  private boolean terminate(Replicas.Replica leader) {
    long started = System.nanoTime();
    boolean exited = replicas.terminate(leader);
    sigterms++;
    if (!exited) {
      sigtermHangs++;
    }
    log("leader SIGTERM %s: %s", leader.identity, exited ? "exited in "
        + (System.nanoTime() - started) / 1_000_000 + " ms" : "HUNG, killed after "
        + Replicas.SIGTERM_BOUND.toSeconds() + " s");
    return true;
  }

  /**
   * kill -9 of the leader: at once, or as soon as a launch is seen inside the aimed-at window
   * (given up after 20 s). Which launches the kill caught is read from the API server right after.
   */
  private boolean killLeader(Aim aim) {
    Replicas.Replica leader = awaitReplica(replicas::leader).orElse(null);
    if (leader == null) {
      return false;
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (aim != Aim.ANY_MOMENT && System.nanoTime() < deadline) {
      OpenWindows open = openWindows();
      Hits run = open.run().hits();
      Hits planning = open.plan().hits();
      boolean inWindow = switch (aim) {
        case MARKER_WINDOW -> run.markerToCreate() > 0;
        case UID_WINDOW -> run.createToUid() > 0;
        case PLAN_MARKER_WINDOW -> planning.markerToCreate() > 0;
        case PLAN_UID_WINDOW -> planning.createToUid() > 0;
        case ANY_MOMENT -> true;
      };
      if (inWindow) {
        break;
      }
      Processes.sleep(50);
    }
    replicas.kill(leader);
    OpenWindows caught = openWindows();
    windows = windows.plus(caught.run());
    planWindows = planWindows.plus(caught.plan());
    log("leader kill %s (aim %s): caught run marker->create %s, create->uid %s; plan marker->create %s, create->uid %s",
        leader.identity, aim, caught.run().markerToCreate(), caught.run().createToUid(),
        caught.plan().markerToCreate(), caught.plan().createToUid());
    return true;
  }

  /** The launches in their windows right now: of run Jobs and of plan Jobs. */
  private record OpenWindows(LaunchWindows.Caught run, LaunchWindows.Caught plan) {}

  /** The leader or the standby; after an earlier fault it may still be starting or taking over. */
  private static Optional<Replicas.Replica> awaitReplica(Supplier<Optional<Replicas.Replica>> role) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Optional<Replicas.Replica> found = role.get();
    while (found.isEmpty() && System.nanoTime() < deadline) {
      Processes.sleep(200);
      found = role.get();
    }
    return found;
  }

  private OpenWindows openWindows() {
    try {
      List<JsonNode> all = requests();
      List<Launch> runs = all.stream()
          .map(r -> new Launch(r.at("/metadata/namespace").asText(), text(r, "/status/job/name"),
              text(r, "/status/job/uid")))
          .toList();
      List<Launch> plans = all.stream()
          .map(r -> new Launch(r.at("/metadata/namespace").asText(), text(r, "/status/plan/check/job"),
              text(r, "/status/plan/check/jobUid")))
          .toList();
      Set<String> jobs = client.batch().v1().jobs().inAnyNamespace().list().getItems().stream()
          .map(j -> j.getMetadata().getNamespace() + "/" + j.getMetadata().getName()).collect(Collectors.toSet());
      return new OpenWindows(LaunchWindows.caught(runs, jobs), LaunchWindows.caught(plans, jobs));
    } catch (KubernetesClientException e) {
      LaunchWindows.Caught none = new LaunchWindows.Caught(Set.of(), Set.of());
      return new OpenWindows(none, none);
    }
  }

  /** Plan pods the kubelet runs now: they hold connections to the database. */
  private List<Pod> runningPlanPods() {
    return client.pods().inAnyNamespace().withLabel("app.kubernetes.io/component", "check").list().getItems()
        .stream().filter(p -> "Running".equals(p.getStatus().getPhase())).toList();
  }

  // ---- faults on one request ----

  private void requestFault(PlannedRequest r) {
    FaultKind kind = FaultKind.valueOf(r.role().name());
    boolean done = switch (r.role()) {
      case JOB_DELETE -> deleteJobWhenItAppears(r);
      case POD_DELETE -> deletePodMidRun(r);
      case PLAN_POD_DELETE -> deletePlanPod(r);
      case NAMESPACE_PRODUCTION, REJECTION -> revokeWhileQueued(r);
      default -> throw new IllegalArgumentException(r.role() + " is not a request fault");
    };
    if (done) {
      injected.merge(kind, 1, Integer::sum);
    } else {
      skip(kind, r.name() + ": its moment did not come");
    }
  }

  private boolean deleteJobWhenItAppears(PlannedRequest r) {
    return until(() -> {
      String job = text(request(r), "/status/job/name");
      if (job == null || client.batch().v1().jobs().inNamespace(r.namespace()).withName(job).get() == null) {
        return false;
      }
      client.batch().v1().jobs().inNamespace(r.namespace()).withName(job).delete();
      log("Job %s of %s deleted", job, r.name());
      return true;
    }, Duration.ofMillis(100));
  }

  private boolean deletePodMidRun(PlannedRequest r) {
    return until(() -> {
      String job = text(request(r), "/status/job/name");
      if (job == null) {
        return false;
      }
      List<Pod> running = client.pods().inNamespace(r.namespace()).withLabel("job-name", job).list().getItems()
          .stream().filter(p -> "Running".equals(p.getStatus().getPhase())).toList();
      if (running.isEmpty()) {
        return false;
      }
      Processes.sleep(500);
      client.pods().inNamespace(r.namespace()).resource(running.get(0)).delete();
      log("pod %s of %s deleted mid-run", running.get(0).getMetadata().getName(), r.name());
      return true;
    }, Duration.ofMillis(200));
  }

  /** Deletes the request's plan pod before it ends, as a node drained under it would. */
  private boolean deletePlanPod(PlannedRequest r) {
    return until(() -> {
      String job = text(request(r), "/status/plan/check/job");
      if (job == null) {
        return false;
      }
      List<Pod> live = client.pods().inNamespace(r.namespace()).withLabel("job-name", job).list().getItems().stream()
          .filter(p -> p.getMetadata().getDeletionTimestamp() == null
              && Set.of("Pending", "Running").contains(p.getStatus().getPhase()))
          .toList();
      if (live.isEmpty()) {
        return false;
      }
      client.pods().inNamespace(r.namespace()).resource(live.get(0)).delete();
      log("plan pod %s of %s deleted (%s)", live.get(0).getMetadata().getName(), r.name(),
          live.get(0).getStatus().getPhase());
      return true;
    }, Duration.ofMillis(100));
  }

  /**
   * Approves the target once its blocker runs (so it queues behind it), then revokes: rejected-by
   * from the approver, or the namespace relabelled production. Before the launch only if status
   * shows no launch marker after the revocation: a marker written later is written by a reconcile
   * that saw it (status updates are optimistically locked, and the target waits in the queue).
   */
  private boolean revokeWhileQueued(PlannedRequest r) {
    PlannedRequest blocker = plan.requests().get(r.blocker());
    boolean queued = until(() -> "Running".equals(request(blocker).at("/status/phase").asText())
        && text(request(blocker), "/status/job/uid") != null, Duration.ofMillis(200));
    approve(r);
    until(() -> text(request(r), "/status/approval/approvedBy") != null, Duration.ofMillis(100));
    String markerBefore = text(request(r), "/status/job/name");
    if (r.role() == Role.REJECTION) {
      retry("reject " + r.name(), () -> cluster.kubectl(LocalUser.APPROVER).run("annotate", "--overwrite", "mr",
          r.name(), "-n", r.namespace(), REJECTED_BY + "=" + LocalUser.APPROVER.userName()));
    } else {
      retry("relabel " + r.namespace(), () -> cluster.kubectl(LocalUser.ADMIN).run("label", "--overwrite", "ns",
          r.namespace(), "environment=production"));
    }
    Processes.sleep(1000);
    boolean beforeLaunch = markerBefore == null && text(request(r), "/status/job/name") == null;
    revocations.put(r.index(), beforeLaunch ? Revocation.BEFORE_LAUNCH : Revocation.AFTER_LAUNCH);
    log("%s of %s %s its launch (blocker %s %s)", r.role() == Role.REJECTION ? "rejection" : "production label",
        r.name(), beforeLaunch ? "before" : "after", blocker.name(), queued ? "running" : "not seen running");
    return true;
  }

  // ---- the end ----

  private boolean settled(JsonNode request) {
    String phase = request.at("/status/phase").asText();
    return SETTLED.contains(phase) || "Blocked".equals(phase);
  }

  private List<RequestRecord> requestRecords() {
    List<RequestRecord> records = new ArrayList<>();
    for (PlannedRequest planned : plan.requests()) {
      JsonNode r = request(planned);
      String failedReason = null;
      String failedMessage = null;
      for (JsonNode c : r.at("/status/conditions")) {
        if ("Failed".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
          failedReason = c.path("reason").asText();
          failedMessage = c.path("message").asText();
        }
      }
      String evidence = text(r, "/status/evidence/configMap");
      records.add(new RequestRecord(planned.namespace(), planned.name(), r.at("/metadata/uid").asText(),
          approvalSent.get(planned.index()), revocations.getOrDefault(planned.index(), Revocation.NONE),
          r.at("/status/phase").asText(), failedReason, failedMessage, text(r, "/status/approval/approvedBy") != null,
          !r.at("/status/result").isMissingNode(),
          evidence != null && client.configMaps().inNamespace(planned.namespace()).withName(evidence).get() != null,
          text(r, "/status/evidence/problem"), jobUnconcluded(planned.namespace(), text(r, "/status/job/name"))));
    }
    return records;
  }

  private boolean jobUnconcluded(String namespace, String name) {
    Job job = name == null ? null : client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    if (job == null || job.getStatus() == null) {
      return false;
    }
    JobStatus status = job.getStatus();
    boolean finishedPod = nonZero(status.getFailed()) || nonZero(status.getSucceeded());
    boolean concluded = status.getConditions().stream()
        .anyMatch(c -> Set.of("Complete", "Failed").contains(c.getType()) && "True".equals(c.getStatus()));
    return finishedPod && !nonZero(status.getActive()) && !concluded;
  }

  private static boolean nonZero(Integer count) {
    return count != null && count > 0;
  }

  private List<HistoryRow> histories() throws SQLException {
    List<HistoryRow> rows = new ArrayList<>();
    for (String database : plan.requests().stream().map(PlannedRequest::database).collect(Collectors.toSet())) {
      try (Connection db = cluster.postgres().connect(database); Statement statement = db.createStatement()) {
        List<String> schemas = new ArrayList<>();
        try (ResultSet found = statement.executeQuery(
            "select table_schema from information_schema.tables where table_name = 'flyway_schema_history'")) {
          while (found.next()) {
            schemas.add(found.getString(1));
          }
        }
        for (String schema : schemas) {
          try (ResultSet counted = statement.executeQuery("select script, count(*) from \"" + schema
              + "\".flyway_schema_history where version is not null group by script")) {
            while (counted.next()) {
              rows.add(new HistoryRow(database, schema, counted.getString(1), counted.getInt(2)));
            }
          }
        }
      }
    }
    return rows;
  }

  // ---- reading the API server through faults ----

  private List<JsonNode> requests() {
    return client.genericKubernetesResources("migrationgate.io/v1alpha1", "MigrationRequest").inAnyNamespace()
        .list().getItems().stream().map(FaultRun::json).toList();
  }

  private JsonNode request(PlannedRequest r) {
    GenericKubernetesResource found = client.genericKubernetesResources("migrationgate.io/v1alpha1",
        "MigrationRequest").inNamespace(r.namespace()).withName(r.name()).get();
    return found == null ? Serialization.jsonMapper().missingNode() : json(found);
  }

  private static JsonNode json(GenericKubernetesResource resource) {
    return Serialization.jsonMapper().valueToTree(resource);
  }

  private static String text(JsonNode node, String pointer) {
    JsonNode at = node.at(pointer);
    return at.isMissingNode() || at.isNull() || at.asText().isBlank() ? null : at.asText();
  }

  private void awaitEvery(Predicate<JsonNode> condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        List<JsonNode> all = requests();
        List<String> waiting = all.stream().filter(condition.negate())
            .map(r -> r.at("/metadata/namespace").asText() + "/" + r.at("/metadata/name").asText() + " "
                + r.at("/status/phase").asText())
            .toList();
        if (all.size() == plan.requests().size() && waiting.isEmpty()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          log("not %s after %d s: %s", what, timeout.toSeconds(), waiting);
          return;
        }
      } catch (KubernetesClientException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      Processes.sleep(500);
    }
  }

  /** Polls {@code step} until it returns true (API errors count as not yet) or {@link #MOMENT} passes. */
  /**
   * An approver approves a plan she has seen. On a loaded machine planning can outlast the planning
   * wait, and an approval sent before its request's plan is, rightly, not taken
   * (ApprovalPredatesPlan): the request would wait for an approval that never comes.
   */
  private void awaitPlanned(PlannedRequest r) {
    if (!until(() -> {
      JsonNode request = request(r);
      return "AwaitingApproval".equals(request.at("/status/phase").asText()) || settled(request);
    }, Duration.ofMillis(500), PLANNED_WAIT)) {
      log("%s/%s not planned after %d s; approved anyway", r.namespace(), r.name(), PLANNED_WAIT.toSeconds());
    }
  }

  private static boolean until(java.util.function.BooleanSupplier step, Duration poll) {
    return until(step, poll, MOMENT);
  }

  private static boolean until(java.util.function.BooleanSupplier step, Duration poll, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (step.getAsBoolean()) {
          return true;
        }
      } catch (KubernetesClientException e) {
        // the API server is down or stalled by another fault: try again
      }
      Processes.sleep(poll.toMillis());
    }
    return false;
  }

  /** Runs a kubectl command until it succeeds; people retry when the API server is away. */
  private static void retry(String what, Supplier<Kubectl.Result> command) {
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

  private void skip(FaultKind kind, String why) {
    skipped.add(kind.label() + " (" + why + ")");
    log("skipped %s: %s", kind.label(), why);
  }

  private void log(String format, Object... args) {
    out.printf("t+%6.1fs %s%n", (System.nanoTime() - begun) / 1e9, String.format(format, args));
  }

  /** The 1, 5 and 15 minute load averages, as uptime prints them. */}
