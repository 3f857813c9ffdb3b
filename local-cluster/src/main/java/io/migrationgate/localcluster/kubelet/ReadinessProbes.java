package io.migrationgate.localcluster.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's {@code readinessProbe} with {@code httpGet} (over HTTP, on 127.0.0.1: every pod has
 * the host's network), run as a kubelet runs it: after {@code initialDelaySeconds}, every
 * {@code periodSeconds}, a status from 200 to 399 within {@code timeoutSeconds} succeeds, and
 * {@code successThreshold} and {@code failureThreshold} results in a row change the container's
 * readiness. A container with such a probe is not ready until it succeeds; one without is ready
 * while it runs. Other probes (exec, tcpSocket, grpc, liveness, startup) are not run.
 */
final class ReadinessProbes implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReadinessProbes.class);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "kubelet-probes");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  /** Probes {@code container} while {@code run} runs; {@code changed} is called when its readiness changes. */
  void watch(String pod, Container container, ContainerRun run, Runnable changed) {
    Probe probe = container.getReadinessProbe();
    if (probe == null || probe.getHttpGet() == null || "HTTPS".equals(probe.getHttpGet().getScheme())) {
      return;
    }
    run.probed();
    URI uri = uri(probe.getHttpGet(), container);
    Duration timeout = Duration.ofSeconds(orDefault(probe.getTimeoutSeconds(), 1));
    int successes = orDefault(probe.getSuccessThreshold(), 1);
    int failures = orDefault(probe.getFailureThreshold(), 3);
    timer.schedule(new Runnable() {
      private Boolean last;
      private int inARow;

      @Override
      public void run() {
        if (run.isTerminated()) {
          return;
        }
        boolean ok = get(uri, timeout);
        inARow = Boolean.valueOf(ok).equals(last) ? inARow + 1 : 1;
        last = ok;
        if (inARow >= (ok ? successes : failures) && run.ready(ok)) {
          LOG.info("pod {} container {}: readiness probe {} {}", pod, container.getName(), uri,
              ok ? "succeeded" : "failed");
          changed.run();
        }
        timer.schedule(this, orDefault(probe.getPeriodSeconds(), 10), TimeUnit.SECONDS);
      }
    }, orDefault(probe.getInitialDelaySeconds(), 0), TimeUnit.SECONDS);
  }

  private boolean get(URI uri, Duration timeout) {
    try {
      int status = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
      return status >= 200 && status < 400;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static URI uri(HTTPGetAction get, Container container) {
    String host = get.getHost() == null || get.getHost().isEmpty() ? "127.0.0.1" : get.getHost();
    String path = get.getPath() == null ? "/" : get.getPath();
    return URI.create("http://" + host + ":" + port(get.getPort(), container) + (path.startsWith("/") ? "" : "/") + path);
  }

  /** A port number, or the name of one of the container's ports. */
  private static int port(IntOrString port, Container container) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
        .map(ContainerPort::getContainerPort).findFirst()
        .orElse(0); // no such port: the probe fails, as it would on a node
  }

  private static int orDefault(Integer value, int otherwise) {
    return value == null ? otherwise : value;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
