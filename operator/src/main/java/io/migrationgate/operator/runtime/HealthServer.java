package io.migrationgate.operator.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * /healthz, /readyz and /metrics (Prometheus text format) on the JDK's own HTTP server. Live while the operator's informers are
 * healthy; ready once started. A standby replica (not the leader) is live and ready: it is
 * waiting for the lease, which is its job.
 */
public final class HealthServer implements AutoCloseable {

  /**
   * Threads answering requests. The JDK server reads a request on the thread that answers it, so
   * with one thread a single client that sends its request slowly (or never) would hold /healthz
   * until the kubelet restarts the pod.
   */
  static final int THREADS = 4;
  /** A request not read within this many seconds, or an answer not taken, ends its connection. */
  static final String REQUEST_SECONDS = "10";

  private final HttpServer server;
  private final ExecutorService threads;

  public HealthServer(int port, Operator operator, PrometheusMeterRegistry metrics) throws IOException {
    // The JDK server reads its time limits once, when its first instance is made; the operator
    // makes no other. A limit given on the command line wins.
    System.setProperty("sun.net.httpserver.maxReqTime",
        System.getProperty("sun.net.httpserver.maxReqTime", REQUEST_SECONDS));
    System.setProperty("sun.net.httpserver.maxRspTime",
        System.getProperty("sun.net.httpserver.maxRspTime", REQUEST_SECONDS));
    // All interfaces: the kubelet's probes and Prometheus reach the pod at its IP.
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/healthz", exchange -> answer(exchange,
        operator.getRuntimeInfo().allEventSourcesAreHealthy()));
    server.createContext("/readyz", exchange -> answer(exchange,
        operator.getRuntimeInfo().isStarted()));
    server.createContext("/metrics", exchange -> {
      byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    AtomicInteger named = new AtomicInteger();
    threads = Executors.newFixedThreadPool(THREADS, task -> {
      Thread thread = new Thread(task, "health-" + named.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(threads);
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private static void answer(HttpExchange exchange, boolean ok) throws IOException {
    byte[] body = (ok ? "ok\n" : "not ok\n").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
