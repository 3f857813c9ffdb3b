package io.migrationgate.runner;

import io.migrationgate.contract.RunReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Delivers the report to both places the operator looks: the full report as one marked stdout
 * line (kept in the log tail whatever its size) and the compact one in the termination message
 * file, which Kubernetes caps at 4 KiB.
 */
final class ReportWriter {

  private ReportWriter() {}

  static void write(RunReport report, PrintStream out, Optional<Path> reportFile, Progress progress) {
    out.println(RunReport.STDOUT_MARKER + report.toJson());
    out.flush();
    if (reportFile.isEmpty()) {
      return;
    }
    try {
      Files.writeString(
          reportFile.get(),
          report.toCompactJson(RunReport.TERMINATION_MESSAGE_MAX_BYTES),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
    } catch (IOException | RuntimeException e) {
      // The stdout line still carries the report; a missing termination file must not turn a
      // successful migration into a failed Job.
      progress.note(
          "could not write the report to " + reportFile.get() + ": " + OneLine.of(e.toString()));
    }
  }
}
