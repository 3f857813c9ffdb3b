package io.migrationgate.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Keeps the logs of an e2e run: work dirs are deleted at the end, and a failure is read in its logs. */
final class E2eLogs {

  private E2eLogs() {}

  /**
   * Copies every {@code *.log} under {@code workDir} to {@code target/e2e-logs/<into>}, keeping the
   * tree; the older Kubernetes minor's run ({@code mg.e2eLogs}) keeps its own beside it.
   */
  static void keep(Path workDir, String into) throws IOException {
    if (workDir == null || !Files.isDirectory(workDir)) {
      return;
    }
    Path target = Path.of("target", System.getProperty("mg.e2eLogs", "e2e-logs")).resolve(into);
    try (Stream<Path> files = Files.walk(workDir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".log") && Files.isRegularFile(f)).toList()) {
        Path copy = target.resolve(workDir.relativize(file));
        Files.createDirectories(copy.getParent());
        Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
