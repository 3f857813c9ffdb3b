package io.migrationgate.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link GuardedCluster} for all attack test classes of the JVM: a cluster as a careful platform
 * team runs it (the chart installed with helm, its admission policies, the operator signed in as the
 * chart's ServiceAccount), so that an attack that still works there is a defect of the operator.
 * Logs go to {@code target/e2e-logs/guarded}.
 */
public final class GuardedClusterExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(GuardedClusterExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == GuardedCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .computeIfAbsent("guarded", key -> new Running(), Running.class).guarded;
  }

  /** The shared cluster; JUnit closes it when the test run ends. */
  static final class Running implements AutoCloseable {
    /** Production-labelled: the chart's production guard refusing a request here shows the policies act. */
    static final String PROBE_NAMESPACE = "guarded-probe-prod";

    final Path workDir;
    final LocalCluster cluster;
    final GuardedCluster guarded;

    Running() {
      LocalCluster started = null;
      long begun = System.nanoTime();
      try {
        workDir = Files.createTempDirectory("mg-guarded-");
        started = LocalCluster.startWithoutOperator(workDir, ChartRelease.jar(), ChartRelease.HARDENED_API_SERVER);
        cluster = started;
        // a test JVM that is killed (Ctrl-C on Maven) must not leave etcd, PostgreSQL or the operator behind
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "guarded-cluster-stop"));
        cluster.createNamespace(PROBE_NAMESPACE, Map.of("environment", "production"));
        ChartRelease release = ChartRelease.install(cluster, workDir, ChartRelease.jar(), PROBE_NAMESPACE);
        Runtime.getRuntime().addShutdownHook(new Thread(release::close, "guarded-operator-stop"));
        release.startOperator();
        guarded = new GuardedCluster(cluster, release);
        System.out.printf("E2E guarded cluster: control plane %d ms, with chart and operator %d ms, work dir %s%n",
            cluster.controlPlaneStart().toMillis(), (System.nanoTime() - begun) / 1_000_000, workDir);
      } catch (IOException | java.sql.SQLException | RuntimeException e) {
        if (started != null) {
          started.close();
        }
        throw new IllegalStateException("guarded cluster did not start: " + e.getMessage(), e);
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
