package io.migrationgate.localcluster.kubelet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * The kubelet endpoint the API server proxies {@code kubectl logs} to:
 * {@code GET /containerLogs/{namespace}/{pod}/{container}} with {@code tailLines}, {@code limitBytes},
 * {@code timestamps}, {@code sinceSeconds}, {@code sinceTime} and {@code follow}. HTTPS with a
 * self-signed certificate; only clients presenting the API server's kubelet client certificate get in.
 */
final class LogServer implements AutoCloseable {

  private final HttpsServer server;
  private final Map<String, PodWorker> pods;

  LogServer(Path keyStore, char[] password, Path trustedClientCertificate, Map<String, PodWorker> pods)
      throws IOException, GeneralSecurityException {
    this.pods = pods;
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      keys.load(in, password);
    }
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, password);
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(trustedClientCertificate)) {
      trust.setCertificateEntry("apiserver-kubelet-client", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setHttpsConfigurator(new HttpsConfigurator(tls) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters parameters = tls.getDefaultSSLParameters();
        parameters.setNeedClientAuth(true);
        params.setSSLParameters(parameters);
      }
    });
    server.createContext("/containerLogs/", this::containerLogs);
    server.createContext("/healthz", exchange -> reply(exchange, 200, "ok"));
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "kubelet-logs");
      t.setDaemon(true);
      return t;
    }));
  }

  void start() {
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void containerLogs(HttpExchange exchange) throws IOException {
    try (exchange) {
      String[] parts = exchange.getRequestURI().getPath().split("/");
      // "", "containerLogs", ns, pod, container
      if (parts.length != 5) {
        reply(exchange, 400, "expected /containerLogs/{namespace}/{pod}/{container}");
        return;
      }
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      PodWorker pod = pods.get(parts[2] + "/" + parts[3]);
      ContainerRun run = pod == null ? null : pod.container(parts[4]);
      if (run == null) {
        reply(exchange, 404, "container \"" + parts[4] + "\" in pod \"" + parts[3] + "\" is not available");
        return;
      }
      if (Boolean.parseBoolean(query.getOrDefault("previous", "false"))) {
        reply(exchange, 400, "previous terminated container \"" + parts[4] + "\" in pod \"" + parts[3]
            + "\" not found");
        return;
      }
      boolean timestamps = Boolean.parseBoolean(query.getOrDefault("timestamps", "false"));
      boolean follow = Boolean.parseBoolean(query.getOrDefault("follow", "false"));
      long limitBytes = Long.parseLong(query.getOrDefault("limitBytes", String.valueOf(Long.MAX_VALUE)));
      Instant since = query.containsKey("sinceTime") ? Instant.parse(query.get("sinceTime"))
          : query.containsKey("sinceSeconds")
              ? Instant.now().minus(Duration.ofSeconds(Long.parseLong(query.get("sinceSeconds")))) : null;
      List<ContainerLog.Line> lines = run.log.lines();
      int seen = lines.size();
      if (since != null) {
        lines = lines.stream().filter(l -> !l.time().isBefore(since)).toList();
      }
      if (query.containsKey("tailLines")) {
        int tail = Integer.parseInt(query.get("tailLines"));
        lines = tail < 0 ? lines : lines.subList(Math.max(0, lines.size() - tail), lines.size());
      }
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      long[] budget = {limitBytes};
      if (!write(out, lines, timestamps, budget)) {
        return;
      }
      if (follow) {
        while (budget[0] > 0) {
          List<ContainerLog.Line> all = run.log.lines();
          if (all.size() > seen) {
            if (!write(out, all.subList(seen, all.size()), timestamps, budget)) {
              return;
            }
            seen = all.size();
          } else if (run.isTerminated() || pod.isFinished()) {
            return;
          } else {
            Thread.sleep(200);
          }
        }
      }
    } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
      reply(exchange, 400, "bad query: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean write(OutputStream out, List<ContainerLog.Line> lines, boolean timestamps, long[] budget)
      throws IOException {
    for (ContainerLog.Line line : lines) {
      String text = (timestamps ? line.time().toString() + " " : "") + line.text() + "\n";
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      if (bytes.length >= budget[0]) {
        out.write(bytes, 0, (int) budget[0]);
        budget[0] = 0;
        out.flush();
        return false;
      }
      out.write(bytes);
      budget[0] -= bytes.length;
    }
    out.flush();
    return true;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw == null) {
      return values;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      values.put(k, v);
    }
    return values;
  }

  private static void reply(HttpExchange exchange, int code, String text) throws IOException {
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(code, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
