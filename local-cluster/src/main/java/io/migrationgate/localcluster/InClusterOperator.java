package io.migrationgate.localcluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator as a cluster runs it: the pod of the chart's Deployment, on a cluster started with
 * {@link ControlPlane.Deployments#RUN}. The Deployment and ReplicaSet controllers create the pod,
 * the ServiceAccount admission plugin gives it its projected token volume, and the process kubelet
 * starts it from the built image (its entry point, JVM flags and Java runtime) with that token.
 */
public final class InClusterOperator {

  /** The operator's pod, and how long after its creation it was Ready and held the Lease (1 s resolution). */
  public record Running(Pod pod, Duration toReady, Duration toLease) {

    public String name() {
      return pod.getMetadata().getName();
    }

    /** The process the kubelet started for the operator's container ({@code containerID} process://pid). */
    public ProcessHandle process() {
      String id = pod.getStatus().getContainerStatuses().get(0).getContainerID();
      return ProcessHandle.of(Long.parseLong(id.substring("process://".length()))).orElseThrow(() ->
          new IllegalStateException("no process " + id + " for pod " + name()));
    }
  }

  private InClusterOperator() {}

  /**
   * The values the chart is installed with here, beside {@link ChartRelease#LOCAL_VALUES}: one
   * replica, because every pod shares the host's network here and a second replica would bind the
   * same metrics port; and a free port for it, because the chart's 8080 may be taken on this host.
   */
  public static String[] helmValues() {
    return new String[] {"replicaCount=1", "metrics.port=" + Processes.freePort()};
  }

  /** Waits until a pod of the chart's Deployment is Ready and holds the chart's Lease. */
  public static Running await(LocalCluster cluster, Duration timeout) {
    KubernetesClient admin = cluster.controlPlane().admin();
    Map<String, String> selector = admin.apps().deployments().inNamespace(ChartRelease.NAMESPACE)
        .withName(ChartRelease.SERVICE_ACCOUNT).get().getSpec().getSelector().getMatchLabels();
    long deadline = System.nanoTime() + timeout.toNanos();
    Instant ready = null;
    Pod pod = null;
    while (System.nanoTime() < deadline) {
      List<Pod> pods = admin.pods().inNamespace(ChartRelease.NAMESPACE).withLabels(selector).list().getItems();
      pod = pods.stream().filter(InClusterOperator::isReady).findFirst().orElse(pods.isEmpty() ? null : pods.get(0));
      if (pod != null && isReady(pod)) {
        ready = ready == null ? Instant.now() : ready;
        if (pod.getMetadata().getName().equals(leaseHolder(admin).orElse(null))) {
          Instant created = Instant.parse(pod.getMetadata().getCreationTimestamp());
          return new Running(pod, Duration.between(created, ready), Duration.between(created, Instant.now()));
        }
      }
      Processes.sleep(200);
    }
    throw new IllegalStateException("the chart's Deployment has no Ready pod holding the Lease after "
        + timeout.toSeconds() + " s; pod: " + (pod == null ? "none" : pod.getMetadata().getName() + " "
        + pod.getStatus()) + "; Lease holder: " + leaseHolder(admin).orElse("none"));
  }

  private static boolean isReady(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  static Optional<String> leaseHolder(KubernetesClient admin) {
    Lease lease = admin.leases().inNamespace(ChartRelease.NAMESPACE).withName(ChartRelease.LEASE).get();
    return Optional.ofNullable(lease == null ? null : lease.getSpec().getHolderIdentity());
  }
}
