package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two replicas with leader election, as the chart runs them (its ServiceAccount, its environment).
 * A leader stopped with SIGTERM (a rollout, a drain) must exit and hand its Lease over; a leader
 * whose Lease is taken must exit rather than reconcile beside the new leader. They watch a
 * namespace of their own and hold Leases of their own in the release namespace, so the shared
 * cluster's operator and theirs never act on the same requests nor contend for one Lease.
 */
@ExtendWith(SharedClusters.class)
class LeaseHandOverIT {

  static final String NS = "lease-handover";
  static final String LEASE_NAMESPACE = ChartRelease.NAMESPACE;
  static final Duration GRACE = Duration.ofSeconds(20);
  static GuardedCluster guarded;

  @BeforeAll
  static void namespace(GuardedCluster shared) {
    guarded = shared;
    guarded.createNamespace(NS);
  }

  static OperatorProcess replica(String lease, String identity) throws IOException {
    Path logs = Files.createDirectories(Path.of("target", "e2e-logs", "lease-handover", lease + "-" + identity));
    OperatorProcess process = guarded.release.operatorProcess(identity, logs,
        Map.of("MG_LEASE_NAME", lease, "MG_WATCH_NAMESPACES", NS));
    process.start(Duration.ofSeconds(60));
    return process;
  }

  static String holder(String lease) {
    Lease found = guarded.client.leases().inNamespace(LEASE_NAMESPACE).withName(lease).get();
    return found == null || found.getSpec() == null ? null : found.getSpec().getHolderIdentity();
  }

  static String log(String lease, String identity) throws IOException {
    return Files.readString(Path.of("target", "e2e-logs", "lease-handover", lease + "-" + identity, "operator-1.log"));
  }

  @Test
  void aLeaderStoppedWithSigtermExitsAndHandsItsLeaseToTheStandby() throws Exception {
    OperatorProcess leader = replica("handover", "replica-a");
    OperatorProcess standby = null;
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> "replica-a".equals(holder("handover")));
      standby = replica("handover", "replica-b");

      assertThat(leader.terminate(GRACE)).as("the leader exits on SIGTERM within %s", GRACE).isTrue();
      assertThat(holder("handover")).as("the Lease right after the leader exited").isNotEqualTo("replica-a");
      assertThat(log("handover", "replica-a")).contains("released the Lease " + LEASE_NAMESPACE + "/handover held as replica-a");
      await().atMost(Duration.ofSeconds(30)).until(() -> "replica-b".equals(holder("handover")));

      assertThat(standby.terminate(GRACE)).as("the new leader exits on SIGTERM too").isTrue();
    } finally {
      leader.close();
      if (standby != null) {
        standby.close();
      }
    }
  }

  @Test
  void aLeaderWhoseLeaseIsTakenExitsInsteadOfReconcilingOn() throws Exception {
    OperatorProcess leader = replica("taken", "replica-c");
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> "replica-c".equals(holder("taken")));
      // one write without resourceVersion: the leader renews every 2 s, and a read-then-write races it (409)
      String renewed = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").format(ZonedDateTime.now(ZoneOffset.UTC));
      guarded.client.leases().inNamespace(LEASE_NAMESPACE).withName("taken").patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\": {\"holderIdentity\": \"intruder\", \"leaseDurationSeconds\": 3600, \"renewTime\": \""
              + renewed + "\"}}");
      OptionalInt exit = leader.awaitExit(Duration.ofSeconds(60));
      assertThat(exit).as("a leader that lost its Lease exits").isPresent();
      assertThat(exit.getAsInt()).isEqualTo(1);
      assertThat(log("taken", "replica-c")).contains("lost the Lease as replica-c");
      assertThat(holder("taken")).as("a lost Lease is not released by the loser").isEqualTo("intruder");
    } finally {
      leader.close();
    }
  }
}
