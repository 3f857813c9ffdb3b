package io.migrationgate.localcluster;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * etcd on 127.0.0.1 only. kube-api-test 7.5.2 starts etcd with {@code --listen-client-urls
 * http://0.0.0.0:<port>}: an unauthenticated etcd, holding every Secret, reachable from the network
 * while the tests run. Its {@code EtcdProcess} takes no flags, so the control plane starts etcd
 * itself and hands the port to kube-api-test's {@code KubeAPIServerProcess}.
 */
final class LoopbackEtcd implements AutoCloseable {

  private final Process process;
  private final int clientPort;
  private final Path log;

  private LoopbackEtcd(Process process, int clientPort, Path log) {
    this.process = process;
    this.clientPort = clientPort;
    this.log = log;
  }

  static LoopbackEtcd start(Path binary, Path dataDir, Path log, Duration timeout) throws IOException {
    int clientPort = Processes.freePort();
    int peerPort = Processes.freePort();
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    Process process = new ProcessBuilder(List.of(binary.toString(),
        "--name", "local",
        "--data-dir", Files.createDirectories(dataDir).toString(),
        "--listen-client-urls", client,
        "--advertise-client-urls", client,
        "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "local=" + peer,
        "--unsafe-no-fsync"))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    LoopbackEtcd etcd = new LoopbackEtcd(process, clientPort, log);
    try {
      etcd.awaitHealthy(timeout);
    } catch (RuntimeException e) {
      etcd.close();
      throw e;
    }
    return etcd;
  }

  private void awaitHealthy(Duration timeout) {
    Processes.awaitHttpReady(process, "etcd", URI.create("http://127.0.0.1:" + clientPort + "/health"),
        "\"health\":\"true\"", log, timeout);
  }

  int clientPort() {
    return clientPort;
  }

  @Override
  public void close() {
    Processes.stop(process, Duration.ofSeconds(10));
  }
}
