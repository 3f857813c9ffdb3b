package io.migrationgate.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The clusters e2e test classes share, each started when a class first asks for it and stopped
 * when the test run ends. {@link GuardedCluster} (and its {@link LocalCluster}) is the
 * configuration users run: the chart installed with helm (its RBAC and every admission policy),
 * the operator signed in as the chart's ServiceAccount with the chart's environment (database plan
 * on, leader election). {@link PolicyPlane} holds the chart's admission policies alone. A test that
 * needs something else starts it itself and says why. A missing tool fails the tests with what to
 * install; nothing is skipped. Logs go to {@code target/e2e-logs/guarded}.
 */
public final class SharedClusters implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedClusters.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == GuardedCluster.class || type == LocalCluster.class || type == PolicyPlane.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
    Class<?> type = parameter.getParameter().getType();
    if (type == PolicyPlane.class) {
      return store.computeIfAbsent("policies", key -> startPolicyPlane(), PolicyPlane.class);
    }
    GuardedCluster guarded = store.computeIfAbsent("guarded", key -> new Running(), Running.class).guarded;
    return type == LocalCluster.class ? guarded.cluster : guarded;
  }

  private static PolicyPlane startPolicyPlane() {
    try {
      return PolicyPlane.start();
    } catch (Exception e) {
      throw new IllegalStateException("the policy plane did not start: " + e.getMessage(), e);
    }
  }

  /** The shared guarded cluster; JUnit closes it when the test run ends. */
  static final class Running implements AutoCloseable {
    final Path workDir;
    final LocalCluster cluster;
    final GuardedCluster guarded;

    Running() {
      LocalCluster started = null;
      long begun = System.nanoTime();
      try {
        workDir = Files.createTempDirectory("mg-guarded-");
        started = LocalCluster.start(workDir, ChartRelease.jar(), ChartRelease.HARDENED_API_SERVER);
        cluster = started;
        // a test JVM that is killed (Ctrl-C on Maven) must not leave etcd, PostgreSQL or the operator behind
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "guarded-cluster-stop"));
        ChartRelease release = ChartRelease.install(cluster, workDir, ChartRelease.chart(), ChartRelease.jar());
        Runtime.getRuntime().addShutdownHook(new Thread(release::close, "guarded-operator-stop"));
        release.startOperator();
        guarded = new GuardedCluster(cluster, release);
        System.out.printf("E2E shared cluster: control plane %d ms, with chart and operator %d ms, work dir %s%n",
            cluster.controlPlaneStart().toMillis(), (System.nanoTime() - begun) / 1_000_000, workDir);
      } catch (IOException | java.sql.SQLException | RuntimeException e) {
        if (started != null) {
          started.close();
        }
        throw new IllegalStateException("the shared cluster did not start: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        guarded.close();
        cluster.close();
      } finally {
        E2eLogs.keep(workDir, "guarded");
        if (!Boolean.getBoolean("mg.keepWorkDir")) {
          Processes.deleteTree(workDir);
        }
      }
    }
  }
}
