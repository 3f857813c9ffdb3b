package io.migrationgate.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link LocalCluster} for all e2e test classes of the JVM and stops it at the end.
 * Logs of every component are copied to {@code target/e2e-logs} before the work dir is removed.
 * A missing tool fails the tests with what to install; nothing is skipped.
 */
public final class LocalClusterExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalClusterExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .computeIfAbsent("cluster", key -> new Running(), Running.class).cluster;
  }

  /** The shared cluster; JUnit closes it when the test run ends. */
  static final class Running implements AutoCloseable {
    final LocalCluster cluster;
    final Path workDir;

    Running() {
      try {
        workDir = Files.createTempDirectory("mg-e2e-");
        Path repo = Path.of(System.getProperty("mg.repo", "..")).toAbsolutePath().normalize();
        Path jar = Path.of(System.getProperty("mg.jar", repo.resolve("operator/target/migration-gate.jar").toString()));
        Path crds = Path.of(System.getProperty("mg.crd", repo.resolve("crds").toString()));
        cluster = LocalCluster.start(workDir, crds, jar);
        // a test JVM that is killed (Ctrl-C on Maven) must not leave etcd, PostgreSQL or the operator behind
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "local-cluster-stop"));
        System.out.printf("E2E local cluster: control plane %d ms, everything %d ms, work dir %s%n",
            cluster.controlPlaneStart().toMillis(), cluster.totalStart().toMillis(), workDir);
      } catch (IOException | java.sql.SQLException e) {
        throw new IllegalStateException("local cluster did not start: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        cluster.close();
      } finally {
        E2eLogs.keep(workDir, "");
        if (!Boolean.getBoolean("mg.keepWorkDir")) {
          Processes.deleteTree(workDir);
        }
      }
    }
  }
}
