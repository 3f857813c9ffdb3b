package io.migrationgate.localcluster.faults;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The guarantees, checked over what the run recorded: the requests as the API server has them at
 * the end, every Job ever seen (deleted ones too) and the databases' Flyway histories.
 */
public final class Checks {

  /** The component label of the Jobs that run migrations; plan Jobs (component "check") only read. */
  public static final String RUN_COMPONENT = "runner";
  /**
   * Failed reasons that are never a fault's doing: the harness forges no status and plants no
   * object, so either means the operator refused what it did itself.
   */
  static final Set<String> NEVER_EXPLAINED = Set.of("OwnedObjectConflict", "UntrustedStatus");

  private Checks() {}

  /** Whether a revocation (rejection, production label) reached a request, and before its launch. */
  public enum Revocation { NONE, BEFORE_LAUNCH, AFTER_LAUNCH }

  /**
   * A request at the end. {@code approvalSent}: when the harness began the approving kubectl call
   * (null if it never did); {@code failedReason} and {@code failedMessage}: its Failed condition's;
   * {@code jobUnconcluded}: its Job counts a finished pod, none active, yet has no Complete or
   * Failed condition (the Job controller's part, which the operator waits for).
   */
  public record RequestRecord(String namespace, String name, String uid, Instant approvalSent,
      Revocation revocation, String phase, String failedReason, String failedMessage, boolean approvalLatched,
      boolean resultRecorded,
      boolean evidenceConfigMap, String evidenceProblem, boolean jobUnconcluded) {
    String key() {
      return namespace + "/" + name;
    }
  }

  /**
   * A Job seen by the watch log or listed at the end; {@code firstSeen} by the harness's clock,
   * {@code component} its app.kubernetes.io/component label.
   */
  public record JobRecord(String uid, String namespace, String name, String ownerUid, String component,
      Instant firstSeen) {
    boolean runs() {
      return RUN_COMPONENT.equals(component);
    }
  }

  /** Rows of one script in one Flyway history table. */
  public record HistoryRow(String database, String schema, String script, int rows) {}

  /**
   * {@code jobs} counts every Job, {@code planJobs} those that only read; {@code duplicateJobs} run
   * Jobs beyond one per request, {@code duplicatePlanJobs} plan Jobs beyond one per name (a plan's
   * retries have names of their own).
   */
  public record Figures(int requests, int approvals, int jobs, int planJobs, int duplicateJobs, int duplicatePlanJobs,
      int stuck, int failedWithoutReason, int spuriousFailures, int lostApprovals, int unapprovedLaunches,
      int revokedBeforeLaunch, int revocationsNotHonoured, int scriptsApplied, int histories, int appliedTwice,
      int missingEvidence, int jobsUnconcluded, Map<String, Integer> phases, List<String> problems) {
    /** Every count that must be zero; {@code jobsUnconcluded} is Kubernetes' part and shown apart. */
    public int violations() {
      return duplicateJobs + duplicatePlanJobs + stuck + failedWithoutReason + spuriousFailures + lostApprovals
          + unapprovedLaunches + revocationsNotHonoured + appliedTwice + missingEvidence;
    }
  }

  public static Figures evaluate(Collection<RequestRecord> requests, Collection<JobRecord> jobsSeen,
      Collection<HistoryRow> history) {
    List<String> problems = new ArrayList<>();
    Map<String, JobRecord> jobs = jobsSeen.stream()
        .collect(Collectors.toMap(JobRecord::uid, Function.identity(), (a, b) -> a.firstSeen().isBefore(b.firstSeen()) ? a : b));
    Map<String, List<JobRecord>> byOwner = jobs.values().stream()
        .filter(j -> j.ownerUid() != null && j.runs())
        .collect(Collectors.groupingBy(JobRecord::ownerUid));
    int planJobs = 0;
    int duplicatePlanJobs = 0;
    for (List<JobRecord> sameName : jobs.values().stream().filter(j -> !j.runs())
        .collect(Collectors.groupingBy(j -> j.ownerUid() + " " + j.namespace() + "/" + j.name())).values()) {
      planJobs += sameName.size();
      if (sameName.size() > 1) {
        duplicatePlanJobs += sameName.size() - 1;
        problems.add(sameName.get(0).namespace() + "/" + sameName.get(0).name() + ": " + sameName.size()
            + " plan Jobs at one name " + sameName.stream().map(JobRecord::uid).toList());
      }
    }
    int duplicates = 0;
    int spurious = 0;
    int stuck = 0;
    int withoutReason = 0;
    int lost = 0;
    int unapproved = 0;
    int revoked = 0;
    int notHonoured = 0;
    int missingEvidence = 0;
    int unconcluded = 0;
    int approvals = 0;
    Map<String, Integer> phases = new TreeMap<>();
    for (RequestRecord r : requests) {
      List<JobRecord> own = byOwner.getOrDefault(r.uid(), List.of());
      phases.merge(r.phase().isEmpty() ? "(none)" : r.phase(), 1, Integer::sum);
      if (own.size() > 1) {
        duplicates += own.size() - 1;
        problems.add(r.key() + ": " + own.size() + " run Jobs " + own.stream().map(JobRecord::uid).toList());
      }
      if (r.approvalSent() != null) {
        approvals++;
      }
      for (JobRecord job : own) {
        if (r.approvalSent() == null || job.firstSeen().isBefore(r.approvalSent())
            || r.revocation() == Revocation.BEFORE_LAUNCH) {
          unapproved++;
          problems.add(r.key() + ": Job " + job.name() + " (" + job.uid() + ") seen " + job.firstSeen()
              + ", approval sent " + r.approvalSent() + ", revocation " + r.revocation());
        }
      }
      switch (r.revocation()) {
        case BEFORE_LAUNCH -> {
          revoked++;
          if (!Set.of("Rejected", "Blocked").contains(r.phase())) {
            notHonoured++;
            problems.add(r.key() + ": revoked before launch, yet " + r.phase());
          }
        }
        case AFTER_LAUNCH -> {
          if (!Set.of("Succeeded", "Failed", "Rejected", "Blocked").contains(r.phase())) {
            stuck++;
            problems.add(r.key() + ": revoked after its launch began, still " + r.phase());
          }
        }
        case NONE -> {
          if (r.approvalSent() != null && !Set.of("Succeeded", "Failed").contains(r.phase())) {
            if (r.jobUnconcluded()) {
              unconcluded++;
            } else {
              stuck++;
            }
            problems.add(r.key() + ": approved, still " + r.phase()
                + (r.jobUnconcluded() ? " (its Job has a finished pod but no Complete or Failed condition)" : ""));
          }
        }
      }
      if ("Failed".equals(r.phase()) && (r.failedReason() == null || r.failedReason().isBlank())) {
        withoutReason++;
        problems.add(r.key() + ": Failed without a reason");
      }
      // Every plan-time fault is transient (an operator killed, a plan pod deleted, the database down
      // for seconds), and the operator retries such plan failures: none explains a request that
      // failed before any run Job.
      boolean planFailure = own.isEmpty() && r.revocation() == Revocation.NONE;
      if ("Failed".equals(r.phase()) && (NEVER_EXPLAINED.contains(r.failedReason()) || planFailure)) {
        spurious++;
        problems.add(r.key() + ": spurious failure " + r.failedReason() + (planFailure ? " before any run Job" : "")
            + ": " + r.failedMessage());
      }
      if (!own.isEmpty() && !r.approvalLatched()) {
        lost++;
        problems.add(r.key() + ": ran a Job but status.approval is gone");
      }
      if (r.resultRecorded() && !r.evidenceConfigMap() && (r.evidenceProblem() == null || r.evidenceProblem().isBlank())) {
        missingEvidence++;
        problems.add(r.key() + ": a result but neither an evidence ConfigMap nor status.evidence.problem");
      }
    }
    int appliedTwice = 0;
    int applied = 0;
    for (HistoryRow row : history) {
      applied += row.rows();
      if (row.rows() > 1) {
        appliedTwice++;
        problems.add(row.database() + "." + row.schema() + ": " + row.script() + " applied " + row.rows() + " times");
      }
    }
    int histories = (int) history.stream().map(h -> h.database() + "." + h.schema()).distinct().count();
    return new Figures(requests.size(), approvals, jobs.size(), planJobs, duplicates, duplicatePlanJobs, stuck,
        withoutReason, spurious, lost, unapproved, revoked, notHonoured, applied, histories, appliedTwice,
        missingEvidence, unconcluded, phases, List.copyOf(problems));
  }
}
