package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.Condition;
import io.migrationgate.api.v1alpha1.ApprovalStatus;
import io.migrationgate.api.v1alpha1.EvidenceStatus;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.RecordContent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which requests leave a MigrationRecord, and what it says. A request leaves one when it has ended
 * after its approval latched: it ran, or it was refused or rejected after someone approved it. What
 * the record says comes from status, which only the operator writes, never from the annotations
 * the requester can still edit.
 */
public final class RecordContents {

  private RecordContents() {}

  /** Whether a request in {@code status} leaves a record: it ended after its approval latched. */
  public static boolean leavesRecord(MigrationRequestStatus status) {
    return Statuses.isFinal(status) && status.approval != null;
  }

  /** The record of {@code request} as of {@code now}, or empty when it leaves none (yet). */
  public static Optional<RecordContent> of(MigrationRequest request, Instant now, Duration retention) {
    MigrationRequestStatus status = request.getStatus();
    if (!leavesRecord(status)) {
      return Optional.empty();
    }
    RecordContent record = new RecordContent();
    record.request = request(request);
    record.approval = approval(status.approval);
    record.plan = plan(status);
    record.job = job(status);
    record.outcome = outcome(status, record.job);
    Statuses.planCheck(status).map(check -> check.evidence)
        .flatMap(e -> evidence("plan", request, e)).ifPresent(record.evidence::add);
    evidence("run", request, status.evidence).ifPresent(record.evidence::add);
    record.recordedAt = now.toString();
    record.retainUntil = now.plus(retention).toString();
    return Optional.of(record);
  }

  /**
   * The evidence a record kept alive in the runs namespace (namespace, name, uid), to delete with
   * the record. An inline database's evidence is beside its request, owned by it, and goes with it.
   */
  public static List<KeptEvidence> keptInRunsNamespace(RecordContent record) {
    if (record == null || record.request == null || record.evidence == null) {
      return List.of();
    }
    return record.evidence.stream()
        .filter(e -> e.configMap != null && e.configMap.contains("/"))
        .map(e -> new KeptEvidence(e.configMap.substring(0, e.configMap.indexOf('/')),
            e.configMap.substring(e.configMap.indexOf('/') + 1), e.uid))
        .filter(e -> !e.namespace().equals(record.request.namespace))
        .toList();
  }

  public record KeptEvidence(String namespace, String name, String uid) {}

  /** The record's name: the request's uid, so one request has at most one record, whatever its name. */
  public static String name(MigrationRequest request) {
    return request.getMetadata().getUid();
  }

  private static RecordContent.Request request(MigrationRequest request) {
    RecordContent.Request r = new RecordContent.Request();
    r.namespace = request.getMetadata().getNamespace();
    r.name = request.getMetadata().getName();
    r.uid = request.getMetadata().getUid();
    r.workOrder = request.getSpec() == null ? null : request.getSpec().workOrder;
    r.createdAt = request.getMetadata().getCreationTimestamp();
    return r;
  }

  private static ApprovalStatus approval(ApprovalStatus latched) {
    ApprovalStatus a = new ApprovalStatus();
    a.approvedBy = latched.approvedBy;
    a.requestedBy = latched.requestedBy;
    a.digest = latched.digest;
    a.recordedAt = latched.recordedAt;
    return a;
  }

  private static RecordContent.Plan plan(MigrationRequestStatus status) {
    if (status.plan == null) {
      return null;
    }
    RecordContent.Plan p = new RecordContent.Plan();
    p.digest = status.plan.digest;
    p.scriptsDigest = status.plan.scriptsDigest;
    p.snapshotUid = status.plan.snapshotUid;
    p.database = status.plan.database == null ? null : status.plan.database.address;
    p.riskLevel = status.plan.risk == null ? null : status.plan.risk.level;
    p.recordedAt = status.plan.recordedAt;
    return p;
  }

  private static RecordContent.Job job(MigrationRequestStatus status) {
    if (status.job == null || status.job.uid == null) {
      return null;
    }
    RecordContent.Job j = new RecordContent.Job();
    j.name = status.job.name;
    j.uid = status.job.uid;
    j.createdAt = status.job.createdAt;
    j.startedAt = status.job.startedAt;
    j.finishedAt = status.job.finishedAt;
    return j;
  }

  private static RecordContent.Outcome outcome(MigrationRequestStatus status, RecordContent.Job job) {
    RecordContent.Outcome o = new RecordContent.Outcome();
    o.phase = status.phase.name();
    Optional<Condition> ready = StatusConditions.ready(status);
    o.reason = ready.map(Condition::getReason).orElse(null);
    o.message = ready.map(Condition::getMessage).orElse(null);
    if (status.result != null) {
      o.runnerOutcome = status.result.outcome;
      o.exitCode = status.result.exitCode;
      o.schemaVersionBefore = status.result.schemaVersionBefore;
      o.schemaVersionAfter = status.result.schemaVersionAfter;
    }
    o.finishedAt = job != null && job.finishedAt != null ? job.finishedAt
        : ready.map(Condition::getLastTransitionTime).orElse(null);
    return o;
  }

  private static Optional<RecordContent.Evidence> evidence(String kind, MigrationRequest request, EvidenceStatus e) {
    if (e == null || e.configMapUid == null) {
      return Optional.empty();
    }
    RecordContent.Evidence kept = new RecordContent.Evidence();
    kept.kind = kind;
    // a target's evidence is in the operator's namespace, which the plan recorded; an inline database's beside the request
    MigrationRequestStatus status = request.getStatus();
    String namespace = status != null && status.plan != null && status.plan.target != null && status.plan.target.namespace != null
        ? status.plan.target.namespace : request.getMetadata().getNamespace();
    kept.configMap = namespace + "/" + e.configMap;
    kept.uid = e.configMapUid;
    kept.digest = e.digest;
    return Optional.of(kept);
  }
}
