package io.migrationgate.localcluster.faults;

import static io.migrationgate.localcluster.faults.RequestReads.retry;
import static io.migrationgate.localcluster.faults.RequestReads.until;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationgate.localcluster.LocalCluster;
import io.migrationgate.localcluster.LocalUser;
import io.migrationgate.localcluster.faults.FaultPlan.PlannedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The approver, as a person: approves a request once its plan shows, rejects one when the plan says
 * so, retries when the API server is away, and remembers when each approval was sent (the checks
 * compare it with the launches).
 */
final class Approver {

  static final String APPROVED_BY = "migrationgate.io/approved-by";
  static final String REJECTED_BY = "migrationgate.io/rejected-by";
  /** How long the approver waits for one request's plan before approving it anyway. */
  private static final Duration PLANNED_WAIT = Duration.ofMinutes(10);

  private final LocalCluster cluster;
  private final RequestReads reads;
  private final FaultTally tally;
  private final Map<Integer, Instant> approvalSent = new ConcurrentHashMap<>();

  Approver(LocalCluster cluster, RequestReads reads, FaultTally tally) {
    this.cluster = cluster;
    this.reads = reads;
    this.tally = tally;
  }

  void approve(PlannedRequest r) {
    awaitPlanned(r);
    approvalSent.put(r.index(), Instant.now());
    retry("approve " + r.name(), () -> cluster.kubectl(LocalUser.APPROVER).run("annotate", "--overwrite", "mr",
        r.name(), "-n", r.namespace(), APPROVED_BY + "=" + LocalUser.APPROVER.userName()));
  }

  void reject(PlannedRequest r) {
    retry("reject " + r.name(), () -> cluster.kubectl(LocalUser.APPROVER).run("annotate", "--overwrite", "mr",
        r.name(), "-n", r.namespace(), REJECTED_BY + "=" + LocalUser.APPROVER.userName()));
  }

  /** When the approval of the request with this index was sent; null if it never was. */
  Instant approvalSent(int index) {
    return approvalSent.get(index);
  }

  /**
   * An approver approves a plan she has seen. On a loaded machine planning can outlast the planning
   * wait, and an approval sent before its request's plan is, rightly, not taken
   * (ApprovalPredatesPlan): the request would wait for an approval that never comes.
   */
  private void awaitPlanned(PlannedRequest r) {
    if (!until(() -> {
      JsonNode request = reads.request(r);
      return "AwaitingApproval".equals(request.at("/status/phase").asText()) || RequestReads.settled(request);
    }, Duration.ofMillis(500), PLANNED_WAIT)) {
      tally.log("%s/%s not planned after %d s; approved anyway", r.namespace(), r.name(), PLANNED_WAIT.toSeconds());
    }
  }
}
