package io.migrationgate.localcluster.faults;

import static io.migrationgate.localcluster.faults.RequestReads.text;

import io.migrationgate.localcluster.ChartRelease;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.migrationgate.localcluster.LocalPostgres;
import io.migrationgate.localcluster.faults.Checks.HistoryRow;
import io.migrationgate.localcluster.faults.Checks.RequestRecord;
import io.migrationgate.localcluster.faults.FaultPlan.PlannedRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the run left, read once it is over for the {@link Checks}: each request as the API server has
 * it with what the harness did to it, and the databases' Flyway histories.
 */
final class RunRecords {

  private final FaultPlan plan;
  private final KubernetesClient client;
  private final RequestReads reads;

  RunRecords(FaultPlan plan, KubernetesClient client, RequestReads reads) {
    this.plan = plan;
    this.client = client;
    this.reads = reads;
  }

  List<RequestRecord> requests(Approver approver, RequestFaults requestFaults) {
    List<RequestRecord> records = new ArrayList<>();
    for (PlannedRequest planned : plan.requests()) {
      JsonNode r = reads.request(planned);
      String failedReason = null;
      String failedMessage = null;
      for (JsonNode c : r.at("/status/conditions")) {
        if ("Failed".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
          failedReason = c.path("reason").asText();
          failedMessage = c.path("message").asText();
        }
      }
      String evidence = text(r, "/status/evidence/configMap");
      records.add(new RequestRecord(planned.namespace(), planned.name(), r.at("/metadata/uid").asText(),
          approver.approvalSent(planned.index()), requestFaults.revocation(planned.index()),
          r.at("/status/phase").asText(), failedReason, failedMessage, text(r, "/status/approval/approvedBy") != null,
          !r.at("/status/result").isMissingNode(),
          evidence != null && client.configMaps().inNamespace(ChartRelease.NAMESPACE).withName(evidence).get() != null,
          text(r, "/status/evidence/problem"), jobUnconcluded(text(r, "/status/job/name"))));
    }
    return records;
  }

  /** How many times each script is in each Flyway history table of the plan's databases. */
  List<HistoryRow> histories(LocalPostgres postgres) throws SQLException {
    List<HistoryRow> rows = new ArrayList<>();
    for (String database : plan.requests().stream().map(PlannedRequest::database).collect(Collectors.toSet())) {
      try (Connection db = postgres.connect(database); Statement statement = db.createStatement()) {
        List<String> schemas = new ArrayList<>();
        try (ResultSet found = statement.executeQuery(
            "select table_schema from information_schema.tables where table_name = 'flyway_schema_history'")) {
          while (found.next()) {
            schemas.add(found.getString(1));
          }
        }
        for (String schema : schemas) {
          try (ResultSet counted = statement.executeQuery("select script, count(*) from \"" + schema
              + "\".flyway_schema_history where version is not null group by script")) {
            while (counted.next()) {
              rows.add(new HistoryRow(database, schema, counted.getString(1), counted.getInt(2)));
            }
          }
        }
      }
    }
    return rows;
  }

  /** A target's Job, in the operator's namespace. */
  private boolean jobUnconcluded(String name) {
    Job job = name == null ? null : client.batch().v1().jobs().inNamespace(ChartRelease.NAMESPACE).withName(name).get();
    if (job == null || job.getStatus() == null) {
      return false;
    }
    JobStatus status = job.getStatus();
    boolean finishedPod = nonZero(status.getFailed()) || nonZero(status.getSucceeded());
    boolean concluded = status.getConditions().stream()
        .anyMatch(c -> Set.of("Complete", "Failed").contains(c.getType()) && "True".equals(c.getStatus()));
    return finishedPod && !nonZero(status.getActive()) && !concluded;
  }

  private static boolean nonZero(Integer count) {
    return count != null && count > 0;
  }
}
