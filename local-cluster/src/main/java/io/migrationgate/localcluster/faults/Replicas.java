package io.migrationgate.localcluster.faults;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.migrationgate.localcluster.ChartRelease;
import io.migrationgate.localcluster.OperatorProcess;
import io.migrationgate.localcluster.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two operator replicas as separate processes, each as a pod of the chart's Deployment runs
 * ({@link ChartRelease#operatorProcess}: its ServiceAccount, its environment, leader election on),
 * each with its own identity in the Lease. Like a Deployment's pods, a replica that ends (killed,
 * or exiting on a lost Lease) is started again after a random delay by a supervisor thread.
 */
final class Replicas implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Replicas.class);
  /** What Kubernetes gives a pod by default before it kills it; the operator must exit well within. */
  static final Duration SIGTERM_BOUND = Duration.ofSeconds(20);

  /** One replica; {@code down} while the harness holds it stopped or its restart is pending. */
  static final class Replica {
    final String identity;
    final OperatorProcess process;
    volatile boolean up;

    Replica(String identity, OperatorProcess process) {
      this.identity = identity;
      this.process = process;
    }
  }

  private final List<Replica> replicas;
  private final KubernetesClient client;
  private final Random restartDelays;
  private final Thread supervisor;
  private final AtomicInteger exitedOnTheirOwn = new AtomicInteger();
  private final AtomicInteger restarts = new AtomicInteger();
  private final List<Thread> restarting = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  Replicas(KubernetesClient client, ChartRelease release, Path logDir, Duration launchPause, long seed)
      throws IOException {
    this.client = client;
    this.restartDelays = new Random(seed ^ 0x5eed);
    this.replicas = List.of(replica("replica-a", release, logDir, launchPause),
        replica("replica-b", release, logDir, launchPause));
    for (Replica replica : replicas) {
      replica.process.start();
      replica.up = true;
    }
    supervisor = new Thread(this::supervise, "replica-supervisor");
    supervisor.setDaemon(true);
    supervisor.start();
  }

  /** The one setting the chart does not make: the test-only pause that holds launches in their crash windows. */
  private static Replica replica(String identity, ChartRelease release, Path logDir, Duration launchPause)
      throws IOException {
    return new Replica(identity, release.operatorProcess(identity, Files.createDirectories(logDir.resolve(identity)),
        Map.of("MG_TEST_LAUNCH_PAUSE_MS", String.valueOf(launchPause.toMillis()))));
  }

  private void supervise() {
    while (running) {
      for (Replica replica : replicas) {
        if (replica.up && !replica.process.isAlive()) {
          replica.up = false;
          exitedOnTheirOwn.incrementAndGet();
          LOG.info("{} exited on its own with {}", replica.identity, replica.process.exitValue());
          restartLater(replica);
        }
      }
      Processes.sleep(200);
    }
  }

  /** Starts {@code replica} again after a random delay, in the background, until it is ready. */
  void restartLater(Replica replica) {
    long delay;
    synchronized (restartDelays) {
      delay = 500 + restartDelays.nextInt(4500);
    }
    Thread restart = new Thread(() -> {
      Processes.sleep(delay);
      while (running && !replica.up) {
        try {
          replica.process.start(Duration.ofSeconds(60));
          restarts.incrementAndGet();
          replica.up = true;
        } catch (IOException | RuntimeException e) {
          LOG.warn("{} did not start, trying again: {}", replica.identity, e.getMessage());
          replica.process.kill();
          Processes.sleep(1000);
        }
      }
    }, "restart-" + replica.identity);
    restart.setDaemon(true);
    restarting.add(restart);
    restart.start();
  }

  /** The replica holding the Lease, if it is up. */
  Optional<Replica> leader() {
    String holder = holder();
    return replicas.stream().filter(r -> r.up && r.identity.equals(holder)).findFirst();
  }

  /** A replica that is up and does not hold the Lease. */
  Optional<Replica> standby() {
    String holder = holder();
    return replicas.stream().filter(r -> r.up && !r.identity.equals(holder)).findFirst();
  }

  private String holder() {
    try {
      Lease lease = client.leases().inNamespace(ChartRelease.NAMESPACE).withName(ChartRelease.LEASE).get();
      return lease == null ? "" : lease.getSpec().getHolderIdentity();
    } catch (KubernetesClientException e) {
      return "";
    }
  }

  /** kill -9, then the supervisor's restart after a random delay. */
  void kill(Replica replica) {
    replica.up = false;
    replica.process.kill();
    restartLater(replica);
  }

  /** SIGTERM; false when it did not exit within {@link #SIGTERM_BOUND} and had to be killed. */
  boolean terminate(Replica replica) {
    replica.up = false;
    boolean exited = replica.process.stop(SIGTERM_BOUND);
    restartLater(replica);
    return exited;
  }

  /** Waits until both replicas are up again (faults over: the run ends with a full Deployment). */
  void awaitAllUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (replicas.stream().anyMatch(r -> !r.up)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("operator replicas not back after " + timeout.toSeconds() + " s");
      }
      Processes.sleep(200);
    }
  }

  int exitedOnTheirOwn() {
    return exitedOnTheirOwn.get();
  }

  int restarts() {
    return restarts.get();
  }

  @Override
  public void close() {
    running = false;
    // a restart under way would otherwise start a process after the one it replaces was stopped
    for (Thread restart : restarting) {
      try {
        restart.join(Duration.ofSeconds(70).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Replica replica : replicas) {
      replica.up = false;
      replica.process.close();
    }
  }
}
