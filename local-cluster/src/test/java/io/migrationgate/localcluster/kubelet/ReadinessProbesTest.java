package io.migrationgate.localcluster.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadinessProbesTest {

  @TempDir
  Path dir;

  @Test
  void aContainerWithAnHttpGetProbeIsReadyOnlyWhileItsEndpointAnswers() throws Exception {
    AtomicInteger status = new AtomicInteger(503);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/readyz", exchange -> {
      exchange.sendResponseHeaders(status.get(), -1);
      exchange.close();
    });
    server.start();
    Process process = new ProcessBuilder("sleep", "30").start();
    try (ReadinessProbes probes = new ReadinessProbes()) {
      Container container = new ContainerBuilder().withName("operator")
          .addNewPort().withName("http").withContainerPort(server.getAddress().getPort()).endPort()
          .withNewReadinessProbe().withNewHttpGet().withPath("/readyz").withNewPort("http").endHttpGet()
            .withPeriodSeconds(1).withFailureThreshold(2).endReadinessProbe()
          .build();
      ContainerRun run = new ContainerRun("operator", "migration-gate", new ContainerLog(dir.resolve("log")), "x");
      run.running(process, Instant.now());
      AtomicInteger changes = new AtomicInteger();
      probes.watch("ns/pod", container, run, changes::incrementAndGet);

      assertThat(run.isReady()).as("not ready before the probe succeeds").isFalse();
      status.set(200);
      await().atMost(Duration.ofSeconds(5)).until(run::isReady);
      assertThat(run.status().getReady()).isTrue();
      status.set(500);
      await().atMost(Duration.ofSeconds(6)).until(() -> !run.isReady());
      assertThat(changes.get()).isEqualTo(2);
    } finally {
      process.destroyForcibly();
      server.stop(0);
    }
  }

  @Test
  void aContainerWithoutAProbeIsReadyWhileItRuns() throws IOException {
    Process process = new ProcessBuilder("sleep", "30").start();
    try (ReadinessProbes probes = new ReadinessProbes()) {
      ContainerRun run = new ContainerRun("c", "busybox",
          new ContainerLog(dir.resolve("log")), "x");
      probes.watch("ns/pod", new ContainerBuilder().withName("c").build(), run, () -> { });
      assertThat(run.isReady()).isFalse();
      run.running(process, Instant.now());
      assertThat(run.isReady()).isTrue();
    } finally {
      process.destroyForcibly();
    }
  }
}
