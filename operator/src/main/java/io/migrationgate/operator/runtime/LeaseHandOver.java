package io.migrationgate.operator.runtime;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.time.ZonedDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two ends of leading. A replica that loses the Lease while running exits, so that two replicas
 * never reconcile at once; a replica that is stopped on purpose does not treat the end of its own
 * leader election as a lost Lease, and hands the Lease over once its reconciles are done, so the
 * standby takes over at once instead of waiting for the Lease to expire.
 *
 * <p>JOSDK's own exit-on-lost-lease calls {@code System.exit} from the leader-election callback.
 * During a graceful stop that callback runs inside the shutdown hook (stopping the operator cancels
 * leader election), where {@code System.exit} blocks forever on the JVM's shutdown lock: the leader
 * never exited on SIGTERM. JOSDK 5.2.3 also never releases the Lease on a stop.
 */
public final class LeaseHandOver {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseHandOver.class);

  private final boolean exitOnLostLease;
  private final String identity;
  private final String leaseName;
  private final String leaseNamespace;
  private final AtomicBoolean stopping = new AtomicBoolean();

  public LeaseHandOver(OperatorConfig config) {
    this.exitOnLostLease = config.exitOnLostLease();
    this.identity = config.leaseIdentity().isBlank() ? "migration-gate-" + UUID.randomUUID() : config.leaseIdentity();
    this.leaseName = config.leaseName();
    this.leaseNamespace = config.leaseNamespace();
  }

  /** The name this replica holds the Lease under. */
  public String identity() {
    return identity;
  }

  public LeaderCallbacks callbacks() {
    return new LeaderCallbacks(() -> LOG.info("leading as {}", identity), this::stoppedLeading, leader -> { });
  }

  private void stoppedLeading() {
    if (stopping.get() || !exitOnLostLease) {
      return;
    }
    LOG.error("lost the Lease as {}: exiting, so that only the new leader reconciles", identity);
    // Not from this thread: the shutdown hook stops the operator, which waits for this very thread.
    new Thread(() -> System.exit(1), "exit-on-lost-lease").start();
  }

  /** From now on the end of leading is expected, not a lost Lease. */
  public void stopping() {
    stopping.set(true);
  }

  /**
   * Gives the Lease up if this replica still holds it: no holder, and a duration that has already
   * run out. Call it only after the operator has stopped, so no reconcile of this replica overlaps
   * with the next leader's. An update with the Lease's resourceVersion: if another replica took it
   * meanwhile, nothing changes.
   */
  public void release(KubernetesClient client) {
    // JOSDK puts the Lease in the client's namespace when none is configured; so does this.
    String namespace = leaseNamespace.isBlank() ? client.getNamespace() : leaseNamespace;
    try {
      Lease lease = client.leases().inNamespace(namespace).withName(leaseName).get();
      if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setRenewTime(ZonedDateTime.now());
      client.resource(lease).update();
      LOG.info("released the Lease {}/{} held as {}", namespace, leaseName, identity);
    } catch (KubernetesClientException e) {
      LOG.warn("could not release the Lease {}/{} ({}): the next leader waits for it to expire",
          namespace, leaseName, e.getMessage());
    }
  }
}
