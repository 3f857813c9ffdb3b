package io.migrationgate.localcluster.faults;

import io.migrationgate.localcluster.faults.LaunchWindows.Hits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What a run found: one figure line per check, then the summary line. */
public record FaultReport(FaultPlan plan, Map<FaultKind, Integer> injected, List<String> skipped, Hits windows,
    Hits planWindows, int sigterms, int sigtermHangs, int exitedOnTheirOwn, int restarts, Checks.Figures figures,
    Duration timeToFinal, Duration total, String loadAtStart, String loadAtEnd) {

  /** Zero when every guarantee held and every SIGTERM'd operator exited in time. */
  public int violations() {
    return figures.violations() + sigtermHangs;
  }

  public int faults() {
    return injected.values().stream().mapToInt(Integer::intValue).sum();
  }

  public List<String> lines() {
    Checks.Figures f = figures;
    List<String> lines = new ArrayList<>();
    lines.add("seed " + plan.seed() + " | requests " + f.requests() + " | approvals " + f.approvals()
        + " | phases " + f.phases());
    lines.add("faults " + faults() + ": " + mix() + (skipped.isEmpty() ? "" : " | skipped " + skipped));
    lines.add("launch windows hit: run Job marker->create " + windows.markerToCreate() + ", create->uid "
        + windows.createToUid() + "; plan Job marker->create " + planWindows.markerToCreate() + ", create->uid "
        + planWindows.createToUid());
    lines.add("replicas: " + restarts + " restarts, " + exitedOnTheirOwn + " exited on their own (lost Lease)");
    lines.add("check run Jobs per request <= 1 and plan Jobs per name <= 1: duplicate Jobs " + f.duplicateJobs()
        + " run, " + f.duplicatePlanJobs() + " plan (Jobs ever seen " + f.jobs() + ", of them plan Jobs "
        + f.planJobs() + ")");
    lines.add("check every approved request final: stuck " + f.stuck() + ", Failed without reason "
        + f.failedWithoutReason() + " (waiting on a Job the Job controller never concluded: " + f.jobsUnconcluded()
        + ")");
    lines.add("check no spurious failures: " + f.spuriousFailures() + " (Failed OwnedObjectConflict or "
        + "UntrustedStatus, or Failed before any run Job)");
    lines.add("check latched approvals kept: lost approvals " + f.lostApprovals());
    lines.add("check no Job unless approved and not revoked: unapproved launches " + f.unapprovedLaunches()
        + ", revocations before launch " + f.revokedBeforeLaunch() + " (not honoured " + f.revocationsNotHonoured()
        + ")");
    lines.add("check each script applied at most once: applied twice " + f.appliedTwice() + " (" + f.scriptsApplied()
        + " rows in " + f.histories() + " Flyway histories)");
    lines.add("check evidence: missing evidence " + f.missingEvidence());
    lines.add("check SIGTERM exits within " + Replicas.SIGTERM_BOUND.toSeconds() + " s: hung " + sigtermHangs + " of "
        + sigterms);
    f.problems().forEach(p -> lines.add("PROBLEM " + p));
    lines.add("load average at start " + loadAtStart + ", at end " + loadAtEnd);
    lines.add(String.format("requests=%d approvals=%d faults=%d (%s) windows hit: marker->create %d, create->uid %d,"
            + " plan marker->create %d, plan create->uid %d | duplicate Jobs %d | stuck %d | lost approvals %d"
            + " | unapproved launches %d | spurious failures %d | applied twice %d | missing evidence %d"
            + " | SIGTERM hangs %d | time to all final %d s | run %d s",
        f.requests(), f.approvals(), faults(), mix(), windows.markerToCreate(), windows.createToUid(),
        planWindows.markerToCreate(), planWindows.createToUid(), f.duplicateJobs() + f.duplicatePlanJobs(), f.stuck(),
        f.lostApprovals(), f.unapprovedLaunches(), f.spuriousFailures(), f.appliedTwice(), f.missingEvidence(),
        sigtermHangs, timeToFinal.toSeconds(), total.toSeconds()));
    return lines;
  }

  private String mix() {
    return injected.entrySet().stream().map(e -> e.getKey().label() + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
