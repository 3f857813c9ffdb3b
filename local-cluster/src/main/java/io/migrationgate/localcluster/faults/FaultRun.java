package io.migrationgate.localcluster.faults;

import static io.migrationgate.localcluster.faults.RequestReads.retry;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.migrationgate.localcluster.ChartRelease;
import io.migrationgate.localcluster.Kubectl;
import io.migrationgate.localcluster.LocalCluster;
import io.migrationgate.localcluster.LocalPostgres;
import io.migrationgate.localcluster.LocalUser;
import io.migrationgate.localcluster.Targets;
import io.migrationgate.localcluster.Processes;
import io.migrationgate.localcluster.faults.Checks.JobRecord;
import io.migrationgate.localcluster.faults.FaultPlan.PlannedRequest;
import io.migrationgate.localcluster.faults.FaultPlan.Role;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One fault-injection run on a local cluster in the configuration users run (the chart installed
 * with helm, its policies, two operator replicas as its ServiceAccount, the database plan on):
 * submits the plan's requests, strikes the planning's faults while they are planned, approves them
 * wave by wave while the faults of each wave strike, then, faults over, waits for every request to
 * settle and checks the guarantees ({@link Checks}). The faults themselves are {@link ProcessFaults}
 * and {@link RequestFaults}; the approvals, the {@link Approver}'s.
 */
public final class FaultRun {

  /** {@code chart}: the Helm chart to install, {@code jar}: the operator's (and the runner's) jar. */
  public record Settings(int requests, int waveSize, long seed, Duration launchPause, Duration settleTimeout,
      Path workDir, Path jar, Path chart) {}

  private final Settings settings;
  private final FaultPlan plan;
  private final PrintStream out;
  private final FaultTally tally;
  private LocalCluster cluster;
  private KubernetesClient client;
  private Replicas replicas;
  private RequestReads reads;
  private Approver approver;
  private ProcessFaults processFaults;
  private RequestFaults requestFaults;

  private FaultRun(Settings settings, PrintStream out) {
    this.settings = settings;
    this.plan = FaultPlan.generate(settings.seed(), settings.requests(), settings.waveSize());
    this.out = out;
    this.tally = new FaultTally(out);
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
      reads = new RequestReads(client);
      approver = new Approver(cluster, reads, tally);
      requestFaults = new RequestFaults(plan, cluster, reads, approver, tally);
      ChartRelease release = ChartRelease.install(cluster, settings.workDir(), settings.chart(), settings.jar());
      try (JobLog jobLog = new JobLog(cluster.controlPlane().client(LocalUser.ADMIN))) {
        Map<String, String> urls = registerTargets();
        replicas = new Replicas(client, release, settings.workDir().resolve("logs"), settings.launchPause(),
            plan.seed());
        processFaults = new ProcessFaults(cluster, replicas, reads, tally);
        runPlanning(urls);
        long firstApproval = System.nanoTime();
        for (FaultPlan.Wave wave : plan.waves()) {
          runWave(wave);
        }
        replicas.awaitAllUp(Duration.ofSeconds(180));
        tally.log("faults over; waiting for every request to settle");
        awaitEvery(RequestReads::settled, settings.settleTimeout(), "a final phase");
        Duration timeToFinal = Duration.ofNanos(System.nanoTime() - firstApproval);
        List<JobRecord> jobs = new ArrayList<>(jobLog.records());
        Instant now = Instant.now();
        client.batch().v1().jobs().inAnyNamespace().list().getItems().forEach(j -> jobs.add(JobLog.of(j, now)));
        RunRecords records = new RunRecords(plan, client, reads);
        Checks.Figures figures = Checks.evaluate(records.requests(approver, requestFaults), jobs,
            records.histories(cluster.postgres()));
        return new FaultReport(plan, tally.injectedSoFar(), tally.skippedSoFar(), processFaults.runWindowHits(),
            processFaults.planWindowHits(), processFaults.sigterms(), processFaults.sigtermHangs(),
            replicas.exitedOnTheirOwn(), replicas.restarts(), figures, timeToFinal,
            Duration.ofNanos(System.nanoTime() - tally.begun()), loadAtStart, Processes.loadAverage());
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

  /** A database and a MigrationTarget for each database of the plan; their URLs by database. */
  private Map<String, String> registerTargets() throws SQLException {
    Map<String, String> urls = new TreeMap<>();
    Kubectl admin = cluster.kubectl(LocalUser.ADMIN);
    for (String database : plan.requests().stream().map(PlannedRequest::database).collect(Collectors.toSet())) {
      String url = cluster.postgres().createDatabase(database);
      urls.put(database, url);
      retry("register the target of " + database, () -> admin.runWithInput(
          Targets.yaml(url, LocalPostgres.MIGRATOR, cluster.postgres().password()), "apply", "-f", "-"));
    }
    return urls;
  }

  private void submit(Map<String, String> urls) {
    Map<String, List<PlannedRequest>> byNamespace = plan.requests().stream()
        .collect(Collectors.groupingBy(PlannedRequest::namespace, TreeMap::new, Collectors.toList()));
    Kubectl requester = cluster.kubectl(LocalUser.REQUESTER);
    byNamespace.forEach((namespace, requests) -> {
      cluster.createNamespace(namespace, Map.of("environment", "dev"));
      List<String> documents = new ArrayList<>();
      requests.forEach(r -> documents.addAll(RequestYaml.request(r, urls.get(r.database()))));
      retry("submit to " + namespace, () -> requester.runWithInput(String.join("---\n", documents), "apply", "-f", "-"));
    });
    tally.log("submitted %d requests in %d namespaces on %d databases", plan.requests().size(), byNamespace.size(),
        urls.size());
  }

  /**
   * The requests arrive while the operators run, as a sync creates them, and are planned (a plan Job
   * each) while the planning's faults strike: submitted beside the faults, so that the kills aimed at
   * a plan's launch find launches in flight rather than a planning already over. Over when every
   * request awaits approval or has ended. Requests in its moment are hit in parallel.
   */
  private void runPlanning(Map<String, String> urls) {
    tally.log("planning %d requests, faults %s", plan.requests().size(),
        plan.planning().stream().map(f -> f.kind().label()).toList());
    ExecutorService threads = Executors.newCachedThreadPool();
    try {
      List<Future<?>> work = new ArrayList<>();
      work.add(threads.submit(() -> plan.planning().forEach(processFaults::strike)));
      work.add(threads.submit(() -> submit(urls)));
      plan.requests().stream().filter(r -> r.role() == Role.PLAN_POD_DELETE)
          .forEach(r -> work.add(threads.submit(() -> requestFaults.strike(r))));
      for (Future<?> done : work) {
        done.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("the planning failed: " + e.getMessage(), e);
    } finally {
      threads.shutdownNow();
    }
    awaitEvery(r -> "AwaitingApproval".equals(r.at("/status/phase").asText()) || RequestReads.settled(r),
        Duration.ofSeconds(180 + 6L * plan.requests().size()), "planned");
    tally.log("planning over: %s", reads.requests().stream().collect(Collectors.groupingBy(
        r -> r.at("/status/phase").asText(), TreeMap::new, Collectors.counting())));
  }

  private void runWave(FaultPlan.Wave wave) {
    tally.log("wave %d: %d requests, faults %s", wave.index(), wave.requests().size(),
        wave.faults().stream().map(f -> f.kind().label()).toList());
    ExecutorService threads = Executors.newCachedThreadPool();
    try {
      List<Future<?>> work = new ArrayList<>();
      work.add(threads.submit(() -> wave.faults().forEach(processFaults::strike)));
      for (int index : wave.requests()) {
        PlannedRequest request = plan.requests().get(index);
        if (request.role() != Role.PLAIN && request.role() != Role.BLOCKER && request.role() != Role.PLAN_POD_DELETE) {
          work.add(threads.submit(() -> requestFaults.strike(request)));
        }
      }
      wave.requests().stream().map(plan.requests()::get)
          .filter(r -> !r.approvedLate())
          .sorted((a, b) -> Boolean.compare(b.role() == Role.BLOCKER, a.role() == Role.BLOCKER))
          .forEach(approver::approve);
      for (Future<?> done : work) {
        done.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("wave " + wave.index() + " failed: " + e.getMessage(), e);
    } finally {
      threads.shutdownNow();
    }
  }

  /** Waits until every request of the plan exists and meets {@code condition}; logs the rest at the bound. */
  private void awaitEvery(Predicate<JsonNode> condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        List<JsonNode> all = reads.requests();
        List<String> waiting = all.stream().filter(condition.negate())
            .map(r -> r.at("/metadata/namespace").asText() + "/" + r.at("/metadata/name").asText() + " "
                + r.at("/status/phase").asText())
            .toList();
        if (all.size() == plan.requests().size() && waiting.isEmpty()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          tally.log("not %s after %d s: %s", what, timeout.toSeconds(), waiting);
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
}
