package io.migrationgate.operator.runtime;

import ch.qos.logback.classic.LoggerContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the operator against the current kubeconfig or in-cluster service account until stopped. */
public final class OperatorMain {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void run() throws Exception {
    OperatorLogging.configure((LoggerContext) LoggerFactory.getILoggerFactory(), System.getenv());
    OperatorConfig config = OperatorConfig.fromEnvironment(System.getenv());
    KubernetesClient client = new KubernetesClientBuilder().build();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    LeaseHandOver lease = new LeaseHandOver(config);
    Operator operator = OperatorFactory.create(client, config, Clock.systemUTC(), metrics, lease);
    HealthServer health = new HealthServer(config.port(), operator, metrics);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // Operator.stop waits up to 30 s for reconciles in flight (OperatorFactory); the Lease is
      // handed over only after that, so the next leader never overlaps with this one.
      LOG.info("shutting down");
      lease.stopping();
      operator.stop();
      if (config.leaderElection()) {
        lease.release(client);
      }
      health.close();
      client.close();
      stopped.countDown();
    }, "shutdown"));
    operator.start();
    health.start();
    LOG.info("Migration Gate operator started; health on :{}", health.port());
    stopped.await();
  }
}
