package io.migrationgate.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
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

  private final List<String> command;
  private final int clientPort;
  private final Path log;
  private volatile Process process;

  private LoopbackEtcd(List<String> command, int clientPort, Path log) {
    this.command = command;
    this.clientPort = clientPort;
    this.log = log;
  }

  static LoopbackEtcd start(Path binary, Path dataDir, Path log, Duration timeout) throws IOException {
    int clientPort = Processes.freePort();
    int peerPort = Processes.freePort();
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    LoopbackEtcd etcd = new LoopbackEtcd(List.of(binary.toString(),
        "--name", "local",
        "--data-dir", Files.createDirectories(dataDir).toString(),
        "--listen-client-urls", client,
        "--advertise-client-urls", client,
        "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "local=" + peer,
        "--unsafe-no-fsync"), clientPort, log);
    etcd.launch(timeout);
    return etcd;
  }

  private void launch(Duration timeout) {
    try {
      // appended: a restarted etcd keeps the story of the one before it in the same log
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Processes.awaitHttpReady(process, "etcd", URI.create("http://127.0.0.1:" + clientPort + "/health"),
          "\"health\":\"true\"", log, timeout);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Stops etcd (SIGTERM), waits {@code downtime}, starts it again on the same ports and data. */
  void restart(Duration downtime) {
    close();
    Processes.sleep(downtime.toMillis());
    launch(Duration.ofSeconds(60));
  }

  int clientPort() {
    return clientPort;
  }

  @Override
  public void close() {
    Processes.stop(process, Duration.ofSeconds(10));
  }
}
