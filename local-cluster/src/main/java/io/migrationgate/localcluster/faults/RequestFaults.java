package io.migrationgate.localcluster.faults;

import static io.migrationgate.localcluster.faults.RequestReads.retry;
import static io.migrationgate.localcluster.faults.RequestReads.text;
import static io.migrationgate.localcluster.faults.RequestReads.until;

import io.migrationgate.localcluster.ChartRelease;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.migrationgate.localcluster.LocalCluster;
import io.migrationgate.localcluster.LocalUser;
import io.migrationgate.localcluster.Processes;
import io.migrationgate.localcluster.faults.Checks.Revocation;
import io.migrationgate.localcluster.faults.FaultPlan.PlannedRequest;
import io.migrationgate.localcluster.faults.FaultPlan.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The faults aimed at one request, each at its moment: its Job deleted as soon as it appears, its
 * pod deleted mid-run, its plan pod deleted, or its approval revoked (rejected, or its namespace
 * relabelled production) while it waits in the queue.
 */
final class RequestFaults {

  private final FaultPlan plan;
  private final LocalCluster cluster;
  private final KubernetesClient client;
  private final RequestReads reads;
  private final Approver approver;
  private final FaultTally tally;
  private final Map<Integer, Revocation> revocations = new ConcurrentHashMap<>();

  RequestFaults(FaultPlan plan, LocalCluster cluster, RequestReads reads, Approver approver, FaultTally tally) {
    this.plan = plan;
    this.cluster = cluster;
    this.client = cluster.controlPlane().admin();
    this.reads = reads;
    this.approver = approver;
    this.tally = tally;
  }

  void strike(PlannedRequest r) {
    FaultKind kind = FaultKind.valueOf(r.role().name());
    boolean done = switch (r.role()) {
      case JOB_DELETE -> deleteJobWhenItAppears(r);
      case POD_DELETE -> deletePodMidRun(r);
      case PLAN_POD_DELETE -> deletePlanPod(r);
      case NAMESPACE_PRODUCTION, REJECTION -> revokeWhileQueued(r);
      default -> throw new IllegalArgumentException(r.role() + " is not a request fault");
    };
    if (done) {
      tally.injected(kind);
    } else {
      tally.skip(kind, r.name() + ": its moment did not come");
    }
  }

  /** Whether the request with this index was revoked, and before or after its launch. */
  Revocation revocation(int index) {
    return revocations.getOrDefault(index, Revocation.NONE);
  }

  private boolean deleteJobWhenItAppears(PlannedRequest r) {
    return reads.untilTurnOf(r, RequestReads::settled, () -> {
      String job = text(reads.request(r), "/status/job/name");
      if (job == null || client.batch().v1().jobs().inNamespace(ChartRelease.NAMESPACE).withName(job).get() == null) {
        return false;
      }
      client.batch().v1().jobs().inNamespace(ChartRelease.NAMESPACE).withName(job).delete();
      tally.log("Job %s of %s deleted", job, r.name());
      return true;
    }, Duration.ofMillis(100));
  }

  private boolean deletePodMidRun(PlannedRequest r) {
    return reads.untilTurnOf(r, RequestReads::settled, () -> {
      String job = text(reads.request(r), "/status/job/name");
      if (job == null) {
        return false;
      }
      List<Pod> running = client.pods().inNamespace(ChartRelease.NAMESPACE).withLabel("job-name", job).list().getItems()
          .stream().filter(p -> "Running".equals(p.getStatus().getPhase())).toList();
      if (running.isEmpty()) {
        return false;
      }
      Processes.sleep(500);
      client.pods().inNamespace(ChartRelease.NAMESPACE).resource(running.get(0)).delete();
      tally.log("pod %s of %s deleted mid-run", running.get(0).getMetadata().getName(), r.name());
      return true;
    }, Duration.ofMillis(200));
  }

  /** Deletes the request's plan pod before it ends, as a node drained under it would. */
  private boolean deletePlanPod(PlannedRequest r) {
    return reads.untilTurnOf(r, RequestFaults::planned, () -> {
      String job = text(reads.request(r), "/status/plan/check/job");
      if (job == null) {
        return false;
      }
      List<Pod> live = client.pods().inNamespace(ChartRelease.NAMESPACE).withLabel("job-name", job).list().getItems().stream()
          .filter(p -> p.getMetadata().getDeletionTimestamp() == null
              && Set.of("Pending", "Running").contains(p.getStatus().getPhase()))
          .toList();
      if (live.isEmpty()) {
        return false;
      }
      client.pods().inNamespace(ChartRelease.NAMESPACE).resource(live.get(0)).delete();
      tally.log("plan pod %s of %s deleted (%s)", live.get(0).getMetadata().getName(), r.name(),
          live.get(0).getStatus().getPhase());
      return true;
    }, Duration.ofMillis(100));
  }

  private static boolean planned(JsonNode request) {
    return "AwaitingApproval".equals(request.at("/status/phase").asText()) || RequestReads.settled(request);
  }

  /**
   * Approves the target once its blocker runs (so it queues behind it), then revokes: rejected-by
   * from the approver, or the namespace relabelled production. Before the launch only if status
   * shows no launch marker after the revocation: a marker written later is written by a reconcile
   * that saw it (status updates are optimistically locked, and the target waits in the queue).
   */
  private boolean revokeWhileQueued(PlannedRequest r) {
    PlannedRequest blocker = plan.requests().get(r.blocker());
    boolean queued = until(() -> "Running".equals(reads.request(blocker).at("/status/phase").asText())
        && text(reads.request(blocker), "/status/job/uid") != null, Duration.ofMillis(200));
    approver.approve(r);
    until(() -> text(reads.request(r), "/status/approval/approvedBy") != null, Duration.ofMillis(100));
    String markerBefore = text(reads.request(r), "/status/job/name");
    if (r.role() == Role.REJECTION) {
      approver.reject(r);
    } else {
      retry("relabel " + r.namespace(), () -> cluster.kubectl(LocalUser.ADMIN).run("label", "--overwrite", "ns",
          r.namespace(), "environment=production"));
    }
    Processes.sleep(1000);
    boolean beforeLaunch = markerBefore == null && text(reads.request(r), "/status/job/name") == null;
    revocations.put(r.index(), beforeLaunch ? Revocation.BEFORE_LAUNCH : Revocation.AFTER_LAUNCH);
    tally.log("%s of %s %s its launch (blocker %s %s)", r.role() == Role.REJECTION ? "rejection" : "production label",
        r.name(), beforeLaunch ? "before" : "after", blocker.name(), queued ? "running" : "not seen running");
    return true;
  }
}
