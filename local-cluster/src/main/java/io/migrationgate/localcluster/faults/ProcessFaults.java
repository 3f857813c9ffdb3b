package io.migrationgate.localcluster.faults;

import static io.migrationgate.localcluster.faults.RequestReads.text;
import static io.migrationgate.localcluster.faults.RequestReads.until;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.migrationgate.localcluster.ChartRelease;
import io.migrationgate.localcluster.LocalCluster;
import io.migrationgate.localcluster.Processes;
import io.migrationgate.localcluster.faults.FaultPlan.Aim;
import io.migrationgate.localcluster.faults.FaultPlan.ProcessFault;
import io.migrationgate.localcluster.faults.LaunchWindows.Hits;
import io.migrationgate.localcluster.faults.LaunchWindows.Launch;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The faults aimed at processes: operator replicas killed (the leader as a launch enters a crash
 * window), stopped with SIGTERM or killed as standby; the API server restarted, stalled or made to
 * end watches; etcd and the database restarted. Counts the launches each leader kill caught inside
 * a window and the SIGTERMs that hung.
 */
final class ProcessFaults {

  /** The launches in their windows at one moment: of run Jobs and of plan Jobs. */
  private record OpenWindows(LaunchWindows.Caught run, LaunchWindows.Caught plan) {}

  private final LocalCluster cluster;
  private final KubernetesClient client;
  private final Replicas replicas;
  private final RequestReads reads;
  private final FaultTally tally;
  private LaunchWindows.Caught windows = new LaunchWindows.Caught(Set.of(), Set.of());
  private LaunchWindows.Caught planWindows = new LaunchWindows.Caught(Set.of(), Set.of());
  private int sigterms;
  private int sigtermHangs;

  ProcessFaults(LocalCluster cluster, Replicas replicas, RequestReads reads, FaultTally tally) {
    this.cluster = cluster;
    this.client = cluster.controlPlane().admin();
    this.replicas = replicas;
    this.reads = reads;
    this.tally = tally;
  }

  /** Launches of run Jobs that leader kills caught inside a crash window. */
  synchronized Hits runWindowHits() {
    return windows.hits();
  }

  /** Launches of plan Jobs that leader kills caught inside a crash window. */
  synchronized Hits planWindowHits() {
    return planWindows.hits();
  }

  synchronized int sigterms() {
    return sigterms;
  }

  synchronized int sigtermHangs() {
    return sigtermHangs;
  }

  void strike(ProcessFault fault) {
    Processes.sleep(fault.delayMs());
    try {
      boolean struck = switch (fault.kind()) {
        case LEADER_KILL, PLAN_LEADER_KILL -> killLeader(fault.aim());
        case STANDBY_KILL -> awaitReplica(replicas::standby).map(r -> {
          replicas.kill(r);
          tally.log("standby kill %s", r.identity);
          return true;
        }).orElse(false);
        case LEADER_SIGTERM -> awaitReplica(replicas::leader).map(this::terminate).orElse(false);
        case API_SERVER_RESTART -> {
          cluster.controlPlane().restartApiServer(Duration.ofMillis(fault.downtimeMs()), Map.of());
          tally.log("apiserver restarted after %d ms down", fault.downtimeMs());
          yield true;
        }
        case API_SERVER_STALL -> {
          cluster.controlPlane().pauseApiServer();
          try {
            Processes.sleep(fault.downtimeMs());
          } finally {
            cluster.controlPlane().resumeApiServer();
          }
          tally.log("apiserver stalled (SIGSTOP) for %d ms", fault.downtimeMs());
          yield true;
        }
        case ETCD_RESTART -> {
          cluster.controlPlane().restartEtcd(Duration.ofMillis(fault.downtimeMs()));
          tally.log("etcd restarted after %d ms down", fault.downtimeMs());
          yield true;
        }
        case DATABASE_RESTART -> {
          if (!until(() -> !runningPlanPods().isEmpty(), Duration.ofMillis(100))) {
            yield false;
          }
          int running = runningPlanPods().size();
          cluster.postgres().restart(Duration.ofMillis(fault.downtimeMs()));
          tally.log("database restarted after %d ms down, %d plan pods were running", fault.downtimeMs(), running);
          yield true;
        }
        case WATCH_DISCONNECTS -> {
          cluster.controlPlane().restartApiServer(Duration.ZERO, Map.of("--min-request-timeout", "3"));
          tally.log("apiserver restarted with --min-request-timeout=3 for %d ms", fault.downtimeMs());
          Processes.sleep(fault.downtimeMs());
          cluster.controlPlane().restartApiServer(Duration.ZERO, Map.of("--min-request-timeout", "1800"));
          yield true;
        }
        default -> throw new IllegalArgumentException(fault.kind() + " is not a process fault");
      };
      if (struck) {
        tally.injected(fault.kind());
      } else {
        tally.skip(fault.kind(), fault.kind() == FaultKind.DATABASE_RESTART ? "no plan pod was seen running"
            : "no replica in that role was up");
      }
    } catch (IOException e) {
      throw new IllegalStateException(fault.kind().label() + " failed: " + e.getMessage(), e);
    }
  }

  private boolean terminate(Replicas.Replica leader) {
    long started = System.nanoTime();
    boolean exited = replicas.terminate(leader);
    synchronized (this) {
      sigterms++;
      if (!exited) {
        sigtermHangs++;
      }
    }
    tally.log("leader SIGTERM %s: %s", leader.identity, exited ? "exited in "
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
    synchronized (this) {
      windows = windows.plus(caught.run());
      planWindows = planWindows.plus(caught.plan());
    }
    tally.log("leader kill %s (aim %s): caught run marker->create %s, create->uid %s; plan marker->create %s,"
        + " create->uid %s", leader.identity, aim, caught.run().markerToCreate(), caught.run().createToUid(),
        caught.plan().markerToCreate(), caught.plan().createToUid());
    return true;
  }

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
      List<JsonNode> all = reads.requests();
      List<Launch> runs = all.stream()
          .map(r -> new Launch(jobNamespace(r), text(r, "/status/job/name"),
              text(r, "/status/job/uid")))
          .toList();
      List<Launch> plans = all.stream()
          .map(r -> new Launch(jobNamespace(r), text(r, "/status/plan/check/job"),
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

  /** A target request's Jobs are in the release namespace, an inline database's beside the request. */
  private static String jobNamespace(JsonNode request) {
    return request.at("/spec/migrationTargetName").isTextual() ? ChartRelease.NAMESPACE
        : request.at("/metadata/namespace").asText();
  }

  /** Plan pods the kubelet runs now: they hold connections to the database. */
  private List<Pod> runningPlanPods() {
    return client.pods().inAnyNamespace().withLabel("app.kubernetes.io/component", "check").list().getItems()
        .stream().filter(p -> "Running".equals(p.getStatus().getPhase())).toList();
  }
}
