package io.migrationgate.localcluster.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.localcluster.faults.Checks.HistoryRow;
import io.migrationgate.localcluster.faults.Checks.JobRecord;
import io.migrationgate.localcluster.faults.Checks.RequestRecord;
import io.migrationgate.localcluster.faults.Checks.Revocation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChecksTest {

  static final Instant APPROVED = Instant.parse("2026-01-01T10:00:00Z");

  static RequestRecord succeeded(String name) {
    return new RequestRecord("ns", name, "uid-" + name, APPROVED, Revocation.NONE, "Succeeded", null, null, true, true,
        true, null, false);
  }

  static JobRecord job(String uid, String owner, Instant seen) {
    return new JobRecord(uid, "ns", "job-" + uid, owner, Checks.RUN_COMPONENT, seen);
  }

  static JobRecord planJob(String uid, String name, String owner, Instant seen) {
    return new JobRecord(uid, "ns", name, owner, "check", seen);
  }

  static RequestRecord failed(String name, String reason) {
    return new RequestRecord("ns", name, "uid-" + name, APPROVED, Revocation.NONE, "Failed", reason, "why", true,
        true, true, null, false);
  }

  @Test
  void aCleanRunHasNoViolations() {
    Checks.Figures f = Checks.evaluate(List.of(succeeded("a")), List.of(job("j1", "uid-a", APPROVED.plusSeconds(1))),
        List.of(new HistoryRow("db", "a", "V1__a.sql", 1)));
    assertThat(f.violations()).isZero();
    assertThat(f.jobs()).isEqualTo(1);
    assertThat(f.problems()).isEmpty();
  }

  @Test
  void aSecondJobForOneRequestIsADuplicateEvenWhenItWasDeletedAndSeenTwice() {
    Instant later = APPROVED.plusSeconds(5);
    Checks.Figures f = Checks.evaluate(List.of(succeeded("a")), List.of(job("j1", "uid-a", later),
        job("j2", "uid-a", later), job("j1", "uid-a", later.plusSeconds(60))), List.of());
    assertThat(f.duplicateJobs()).isEqualTo(1);
    assertThat(f.jobs()).isEqualTo(2);
  }

  @Test
  void aJobBeforeTheApprovalOrAfterARevocationIsAnUnapprovedLaunch() {
    RequestRecord revoked = new RequestRecord("ns", "b", "uid-b", APPROVED, Revocation.BEFORE_LAUNCH, "Rejected",
        null, null, true, false, false, null, false);
    Checks.Figures f = Checks.evaluate(List.of(succeeded("a"), revoked),
        List.of(job("j1", "uid-a", APPROVED.minusMillis(1)), job("j2", "uid-b", APPROVED.plusSeconds(3))), List.of());
    assertThat(f.unapprovedLaunches()).isEqualTo(2);
    assertThat(f.revokedBeforeLaunch()).isEqualTo(1);
  }

  @Test
  void aRevokedRequestThatNeitherRejectsNorBlocksIsNotHonoured() {
    RequestRecord queued = new RequestRecord("ns", "b", "uid-b", APPROVED, Revocation.BEFORE_LAUNCH, "Queued",
        null, null, true, false, false, null, false);
    assertThat(Checks.evaluate(List.of(queued), List.of(), List.of()).revocationsNotHonoured()).isEqualTo(1);
  }

  @Test
  void approvedButNotFinalIsStuckAndFailedNeedsAReason() {
    RequestRecord running = new RequestRecord("ns", "a", "uid-a", APPROVED, Revocation.NONE, "Running", null, null, true,
        false, false, null, false);
    RequestRecord failed = new RequestRecord("ns", "b", "uid-b", APPROVED, Revocation.NONE, "Failed", " ", null, true,
        false, false, null, false);
    Checks.Figures f = Checks.evaluate(List.of(running, failed), List.of(), List.of());
    assertThat(f.stuck()).isEqualTo(1);
    assertThat(f.failedWithoutReason()).isEqualTo(1);
  }

  @Test
  void aRequestWaitingOnAJobTheJobControllerNeverConcludedIsShownApartFromStuck() {
    RequestRecord waiting = new RequestRecord("ns", "a", "uid-a", APPROVED, Revocation.NONE, "Running", null, null, true,
        false, false, null, true);
    Checks.Figures f = Checks.evaluate(List.of(waiting), List.of(), List.of());
    assertThat(f.stuck()).isZero();
    assertThat(f.jobsUnconcluded()).isEqualTo(1);
    assertThat(f.problems()).singleElement().asString().contains("no Complete or Failed condition");
  }

  @Test
  void aRequestWhoseJobRanMustStillShowItsLatchedApproval() {
    RequestRecord forgot = new RequestRecord("ns", "a", "uid-a", APPROVED, Revocation.NONE, "Succeeded", null, null, false,
        true, true, null, false);
    assertThat(Checks.evaluate(List.of(forgot), List.of(job("j", "uid-a", APPROVED.plusSeconds(1))), List.of())
        .lostApprovals()).isEqualTo(1);
  }

  @Test
  void aResultNeedsItsEvidenceConfigMapOrTheProblemWritingIt() {
    RequestRecord none = new RequestRecord("ns", "a", "uid-a", APPROVED, Revocation.NONE, "Succeeded", null, null, true,
        true, false, null, false);
    RequestRecord explained = new RequestRecord("ns", "b", "uid-b", APPROVED, Revocation.NONE, "Succeeded", null, null,
        true, true, false, "exceeded quota", false);
    assertThat(Checks.evaluate(List.of(none, explained), List.of(), List.of()).missingEvidence()).isEqualTo(1);
  }

  @Test
  void aScriptInAHistoryTwiceIsAppliedTwice() {
    Checks.Figures f = Checks.evaluate(List.of(), List.of(), List.of(new HistoryRow("db", "a", "V1__a.sql", 2),
        new HistoryRow("db", "a", "V2__a.sql", 1)));
    assertThat(f.appliedTwice()).isEqualTo(1);
    assertThat(f.scriptsApplied()).isEqualTo(3);
    assertThat(f.histories()).isEqualTo(1);
  }

  @Test
  void planJobsBeforeTheApprovalAreNoLaunchAndARetryUnderANewNameIsNoDuplicate() {
    Checks.Figures f = Checks.evaluate(List.of(succeeded("a")), List.of(
        planJob("p1", "a-check-1", "uid-a", APPROVED.minusSeconds(30)),
        planJob("p2", "a-check-1-2", "uid-a", APPROVED.minusSeconds(20)),
        job("j1", "uid-a", APPROVED.plusSeconds(1))), List.of());
    assertThat(f.violations()).as(f.problems().toString()).isZero();
    assertThat(f.jobs()).isEqualTo(3);
    assertThat(f.planJobs()).isEqualTo(2);
  }

  @Test
  void twoPlanJobsAtOneNameAreADuplicate() {
    Checks.Figures f = Checks.evaluate(List.of(succeeded("a")), List.of(
        planJob("p1", "a-check-1", "uid-a", APPROVED.minusSeconds(30)),
        planJob("p2", "a-check-1", "uid-a", APPROVED.minusSeconds(20))), List.of());
    assertThat(f.duplicatePlanJobs()).isEqualTo(1);
    assertThat(f.duplicateJobs()).isZero();
    assertThat(f.violations()).isEqualTo(1);
  }

  @Test
  void aRefusalOfItsOwnObjectsOrAFailureBeforeAnyRunIsSpuriousAndAFailedRunIsNot() {
    Checks.Figures f = Checks.evaluate(
        List.of(failed("conflict", "OwnedObjectConflict"), failed("untrusted", "UntrustedStatus"),
            failed("plan", "DatabaseUnreachable"), failed("run", "MigrationFailed")),
        List.of(job("j1", "uid-conflict", APPROVED.plusSeconds(1)), job("j2", "uid-untrusted", APPROVED.plusSeconds(1)),
            job("j3", "uid-run", APPROVED.plusSeconds(1))),
        List.of());
    assertThat(f.spuriousFailures()).isEqualTo(3);
    assertThat(f.problems()).anySatisfy(p -> assertThat(p).contains("ns/plan", "before any run Job", "why"))
        .noneSatisfy(p -> assertThat(p).contains("ns/run"));
  }
}
