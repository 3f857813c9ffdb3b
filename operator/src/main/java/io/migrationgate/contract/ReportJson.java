package io.migrationgate.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.migrationgate.contract.RunReport.AppliedMigration;
import io.migrationgate.contract.RunReport.Finding;
import io.migrationgate.contract.RunReport.HistoryEntry;
import io.migrationgate.contract.RunReport.PendingMigration;
import io.migrationgate.contract.RunReport.RiskFinding;
import io.migrationgate.contract.RunReport.VerificationResult;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes a {@link RunReport} as one line of JSON, field by field with jackson-core's generator:
 * fields in the order below, absent (null) values left out, every newline inside a string escaped.
 *
 * <p>Not with databind's ObjectMapper, which the operator still reads reports with: building one
 * and introspecting the report's records cost each Job about 0.5 s of CPU and 500 classes, as
 * much as everything else a plan does before it connects (docs/benchmarks.md, "The plan program's
 * cost"). {@code RunReportTest} checks that every field survives the round trip through the reader.
 */
final class ReportJson {

  private static final JsonFactory FACTORY = new JsonFactory();

  private ReportJson() {}

  static String write(RunReport report) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = FACTORY.createGenerator(text)) {
      json.writeStartObject();
      json.writeNumberField("reportVersion", report.reportVersion());
      string(json, "program", report.program());
      string(json, "outcome", report.outcome() == null ? null : report.outcome().name());
      json.writeNumberField("exitCode", report.exitCode());
      string(json, "message", report.message());
      string(json, "scriptsDigest", report.scriptsDigest());
      string(json, "expectedDigest", report.expectedDigest());
      number(json, "scriptCount", report.scriptCount());
      string(json, "target", report.target());
      string(json, "flywayVersion", report.flywayVersion());
      string(json, "databaseProduct", report.databaseProduct());
      string(json, "databaseVersion", report.databaseVersion());
      if (report.historyTableExists() != null) {
        json.writeBooleanField("historyTableExists", report.historyTableExists());
      }
      string(json, "plannedState", report.plannedState());
      string(json, "schemaVersionBefore", report.schemaVersionBefore());
      string(json, "schemaVersionAfter", report.schemaVersionAfter());
      number(json, "appliedTotal", report.appliedTotal());
      list(json, "applied", report.applied(), ReportJson::applied);
      number(json, "verificationTotal", report.verificationTotal());
      list(json, "verification", report.verification(), ReportJson::verification);
      number(json, "historyTotal", report.historyTotal());
      list(json, "history", report.history(), ReportJson::history);
      number(json, "pendingTotal", report.pendingTotal());
      list(json, "pending", report.pending(), ReportJson::pending);
      number(json, "findingsTotal", report.findingsTotal());
      list(json, "findings", report.findings(), ReportJson::finding);
      string(json, "riskLevel", report.riskLevel());
      string(json, "riskDigest", report.riskDigest());
      number(json, "riskFindingsTotal", report.riskFindingsTotal());
      list(json, "riskFindings", report.riskFindings(), ReportJson::riskFinding);
      string(json, "startedAt", report.startedAt());
      string(json, "finishedAt", report.finishedAt());
      json.writeBooleanField("truncated", report.truncated());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a StringWriter failed", e);
    }
    return text.toString();
  }

  private static void applied(JsonGenerator json, AppliedMigration applied) throws IOException {
    string(json, "version", applied.version());
    string(json, "description", applied.description());
    string(json, "script", applied.script());
    json.writeNumberField("executionTimeMs", applied.executionTimeMs());
  }

  private static void verification(JsonGenerator json, VerificationResult result) throws IOException {
    string(json, "name", result.name());
    json.writeBooleanField("passed", result.passed());
    string(json, "actual", result.actual());
    string(json, "expected", result.expected());
    string(json, "error", result.error());
  }

  private static void history(JsonGenerator json, HistoryEntry entry) throws IOException {
    string(json, "version", entry.version());
    string(json, "description", entry.description());
    string(json, "script", entry.script());
    number(json, "checksum", entry.checksum());
    json.writeBooleanField("success", entry.success());
  }

  private static void pending(JsonGenerator json, PendingMigration pending) throws IOException {
    string(json, "version", pending.version());
    string(json, "description", pending.description());
    string(json, "script", pending.script());
    number(json, "checksum", pending.checksum());
  }

  private static void finding(JsonGenerator json, Finding finding) throws IOException {
    string(json, "kind", finding.kind());
    string(json, "version", finding.version());
    string(json, "script", finding.script());
    string(json, "message", finding.message());
  }

  private static void riskFinding(JsonGenerator json, RiskFinding finding) throws IOException {
    string(json, "rule", finding.rule());
    string(json, "severity", finding.severity());
    string(json, "script", finding.script());
    number(json, "line", finding.line());
    string(json, "message", finding.message());
    string(json, "saferAlternative", finding.saferAlternative());
    string(json, "suppressed", finding.suppressed());
  }

  private interface Fields<T> {
    void write(JsonGenerator json, T entry) throws IOException;
  }

  /** A null list is left out, like any absent value; an empty one is written as []. */
  private static <T> void list(JsonGenerator json, String name, List<T> entries, Fields<T> fields)
      throws IOException {
    if (entries == null) {
      return;
    }
    json.writeArrayFieldStart(name);
    for (T entry : entries) {
      json.writeStartObject();
      fields.write(json, entry);
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  private static void string(JsonGenerator json, String name, String value) throws IOException {
    if (value != null) {
      json.writeStringField(name, value);
    }
  }

  private static void number(JsonGenerator json, String name, Integer value) throws IOException {
    if (value != null) {
      json.writeNumberField(name, value);
    }
  }
}
