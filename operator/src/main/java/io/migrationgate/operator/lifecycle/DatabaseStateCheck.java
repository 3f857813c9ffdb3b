package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.migrationgate.api.v1alpha1.Annotations;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.DatabaseCheck;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.api.v1alpha1.PlanStatus;
import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.PlannedState;
import io.migrationgate.contract.RunReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The plan's second half: before anyone approves, a read-only plan Job asks the database what
 * Flyway would do (current version, pending scripts, drift), so an approval names one concrete
 * change. Its result goes into status.plan.check, and the plan's digest then covers the scripts and
 * the planned database state. A request whose database is not consulted (its own choice, or the
 * operator's) gets a scripts-only plan, marked as such.
 */
final class DatabaseStateCheck {

  /** A fresh plan costs a Job and an approval; a request that needs more than this is a new request. */
  static final int MAX_REPLANS = 3;
  /**
   * Attempts at reading the database when what stops it may pass by itself (the database
   * restarting, too many connections, a drained node); the waits before the second, third and
   * fourth outlast a database restart.
   */
  static final List<Duration> RETRY_BACKOFF = List.of(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(90));
  static final int MAX_ATTEMPTS = RETRY_BACKOFF.size() + 1;

  /** Where the request stands while the check is not done; empty once the plan is complete. */
  record Halt(Phase phase, String reason, String message, Action action) {}

  private final JobFactory jobs;
  private final boolean operatorAllows;
  private final Supplier<String> launchTokens;

  DatabaseStateCheck(JobFactory jobs, boolean operatorAllows, Supplier<String> launchTokens) {
    this.jobs = jobs;
    this.operatorAllows = operatorAllows;
    this.launchTokens = launchTokens;
  }

  /**
   * Continues the check of a plan whose scripts are recorded. {@code approvedBy} is the approval
   * annotation as it is now: an approval given before the plan's digest exists predates the plan.
   */
  Optional<Halt> next(MigrationRequest request, MigrationRequestStatus status, PlanRun run, String approvedBy, String now) {
    PlanStatus plan = status.plan;
    if (plan.check == null) {
      // A plan recorded by an operator before the database check existed keeps its scripts-only digest.
      plan.check = plan.digest != null ? scriptsOnly() : start(request);
    }
    if (DatabaseCheck.SCRIPTS_ONLY.equals(plan.check.mode)) {
      completePlan(plan, Optional.empty(), approvedBy);
      return Optional.empty();
    }
    replanIfAsked(request, status);
    DatabaseCheck check = plan.check;
    if (check.checkedAt == null) {
      Optional<Halt> reading = read(request, status, run, approvedBy, now);
      if (reading.isPresent()) {
        return reading;
      }
    }
    if (!check.findings.isEmpty()) {
      return Optional.of(new Halt(Phase.Failed, Reason.PLAN_FINDINGS,
          "the database needs attention before anything is applied: " + String.join("; ", check.findings)
              + ". Nothing ran; fix the database or the scripts, then create a new request", new Action.None()));
    }
    if (check.pendingTotal != null && check.pendingTotal == 0) {
      return Optional.of(new Halt(Phase.Succeeded, Reason.NOTHING_TO_APPLY,
          "the database " + where(plan) + " is already at " + versionText(check)
              + ": every script is applied, so nothing ran and no approval is needed", new Action.None()));
    }
    return Optional.empty();
  }

  private static DatabaseCheck scriptsOnly() {
    DatabaseCheck check = new DatabaseCheck();
    check.mode = DatabaseCheck.SCRIPTS_ONLY;
    return check;
  }

  private DatabaseCheck start(MigrationRequest request) {
    if (!operatorAllows || Boolean.FALSE.equals(request.getSpec().connectBeforeApproval)) {
      return scriptsOnly();
    }
    DatabaseCheck check = new DatabaseCheck();
    check.mode = DatabaseCheck.DATABASE;
    check.replans = 0;
    check.attempt = 1;
    check.replanToken = replanToken(request);
    return check;
  }

  /** A new migrationgate.io/replan value before launch: a fresh plan, and approvals given before it no longer count. */
  private static void replanIfAsked(MigrationRequest request, MigrationRequestStatus status) {
    DatabaseCheck check = status.plan.check;
    String token = replanToken(request);
    if (token == null || token.equals(check.replanToken) || status.job != null || check.replans >= MAX_REPLANS) {
      return;
    }
    DatabaseCheck fresh = new DatabaseCheck();
    fresh.mode = DatabaseCheck.DATABASE;
    fresh.replans = check.replans + 1;
    fresh.replanToken = token;
    fresh.attempt = 1;
    status.plan.check = fresh;
    status.plan.risk = null;
    status.plan.digest = null;
    status.approval = null;
  }

  /**
   * An approval expired unused: the database is read again (a fresh plan, counted as a replan) so
   * the next approval is given on what the database is now. Past the replan limit the plan stands.
   */
  static void replanAfterExpiry(MigrationRequestStatus status) {
    DatabaseCheck check = status.plan.check;
    if (check == null || !DatabaseCheck.DATABASE.equals(check.mode) || check.replans == null
        || check.replans >= MAX_REPLANS) {
      return;
    }
    DatabaseCheck fresh = new DatabaseCheck();
    fresh.mode = DatabaseCheck.DATABASE;
    fresh.replans = check.replans + 1;
    fresh.replanToken = check.replanToken;
    fresh.attempt = 1;
    status.plan.check = fresh;
    status.plan.risk = null;
    status.plan.digest = null;
  }

  /**
   * Why a migrationgate.io/replan value is not followed: the request has had its last fresh plan,
   * so the plan shown stands. Empty when no new value asks for one beyond the limit.
   */
  static Optional<String> replanRefused(MigrationRequest request, MigrationRequestStatus status) {
    DatabaseCheck check = status.plan == null ? null : status.plan.check;
    String token = replanToken(request);
    if (check == null || !DatabaseCheck.DATABASE.equals(check.mode) || token == null
        || token.equals(check.replanToken) || status.job != null || check.replans == null || check.replans < MAX_REPLANS) {
      return Optional.empty();
    }
    return Optional.of(Annotations.REPLAN + "=" + token + " asks for a fresh plan, but this request has had "
        + MAX_REPLANS + ", the most one request gets, so the plan shown stands: approve it, or create a new request "
        + "to plan again. Removing the annotation"
        + (check.replanToken == null ? "" : ", or setting it back to " + check.replanToken + ",") + " clears this");
  }

  private Optional<Halt> read(
      MigrationRequest request, MigrationRequestStatus status, PlanRun run, String approvedBy, String now) {
    DatabaseCheck check = status.plan.check;
    if (check.job != null && check.jobUid == null && check.launchToken == null) {
      // A marker of an operator from before launch tokens: its Job cannot be told from a forgery,
      // so the plan is read by a new attempt under a name of its own.
      check.attempt = attempt(check) + 1;
      check.job = null;
    }
    if (check.job == null) {
      return Optional.of(takeSlot(request, status, run));
    }
    // The Job observed may be an earlier plan's, when a replan was decided a moment ago.
    Optional<Job> planJob = run.job().filter(j -> check.job.equals(j.getMetadata().getName()));
    if (planJob.isEmpty()) {
      if (check.jobUid != null) {
        return retryOrFail(request, status, run, Reason.PLAN_FAILED,
            "plan Job " + check.job + " was deleted before its report was recorded", now);
      }
      // The marker is written but the Job was never seen: a crash came in between.
      return Optional.of(launching(request, status));
    }
    Job job = planJob.get();
    if (check.jobUid == null) {
      Optional<String> conflict = TrustedObjects.jobConflict(job, jobs.buildPlan(request, status.plan), request);
      if (conflict.isPresent()) {
        return Optional.of(new Halt(Phase.Failed, Reason.OWNED_OBJECT_CONFLICT, conflict.get()
            + "; the operator did not adopt it. " + StatusMessages.OWNED_OBJECT_CONFLICT_ADVICE,
            new Action.None()));
      }
      check.jobUid = job.getMetadata().getUid();
    }
    JobObservation seen = JobObserver.observe(job, run.pod());
    if (seen.state() == JobObservation.State.PENDING || seen.state() == JobObservation.State.RUNNING) {
      return Optional.of(new Halt(Phase.Pending, Reason.CHECKING_DATABASE,
          "plan Job " + check.job + " reads the database's state: " + seen.message(), new Action.None()));
    }
    // A report without a planned state is not a plan report (an older runner image, say).
    Optional<RunReport> report = RunResults.report(seen.terminationMessage())
        .filter(r -> r.outcome() != Outcome.SUCCEEDED || r.plannedState() != null);
    if (check.evidence == null) {
      if (run.evidence().isEmpty()) {
        return Optional.of(new Halt(Phase.Pending, Reason.CHECKING_DATABASE,
            "plan Job " + check.job + " is over; keeping its report",
            new Action.CapturePlanEvidence(check.job, seen, report.map(RunReport::message).orElse(seen.message()))));
      }
      check.evidence = run.evidence().get();
    }
    if (report.isEmpty() || report.get().outcome() != Outcome.SUCCEEDED) {
      String reason = report.map(r -> r.outcome().conditionReason()).orElse(Reason.REPORT_MISSING);
      // Shown in status before anyone approved; the runner wrote it without credentials (ConnectionFailures).
      String why = report.map(RunReport::message).orElse(seen.message() + " and left no report");
      if (mayPass(report, seen)) {
        return retryOrFail(request, status, run, reason, why, now);
      }
      return Optional.of(failed(check, reason, why));
    }
    PlanJobReports.record(check, report.get(), now, request.getSpec().migrations.image == null);
    PlanJobReports.recordRisk(status.plan, report.get());
    completePlan(status.plan, Optional.of(PlannedState.parse(check.state)), approvedBy);
    return Optional.empty();
  }

  /**
   * A plan Job needs a slot (plan Jobs are bounded per database and in all); with one, the plan's
   * launch marker (the Job's name and a fresh launch token) is written before the Job is created.
   */
  private Halt takeSlot(MigrationRequest request, MigrationRequestStatus status, PlanRun run) {
    Optional<String> wait = run.slotWait().get();
    if (wait.isPresent()) {
      return new Halt(Phase.Pending, Reason.WAITING_FOR_PLAN_SLOT, wait.get(), new Action.None());
    }
    DatabaseCheck check = status.plan.check;
    check.job = ResourceNames.planJob(request, check.replans + 1, attempt(check));
    check.launchToken = launchTokens.get();
    return launching(request, status);
  }

  private Halt launching(MigrationRequest request, MigrationRequestStatus status) {
    DatabaseCheck check = status.plan.check;
    String attempt = attempt(check) > 1 ? " (attempt " + attempt(check) + " of " + MAX_ATTEMPTS + ")" : "";
    return new Halt(Phase.Pending, Reason.CHECKING_DATABASE,
        "creating plan Job " + check.job + " to read the database's state before approval" + attempt,
        new Action.LaunchPlanJob(jobs.buildPlan(request, status.plan)));
  }

  /**
   * What stops a plan that may pass by itself: a database that cannot be reached (a login it
   * refuses is {@code CREDENTIALS_REFUSED}, which does not pass), and a plan Job that ended without
   * a report (its pod killed, evicted or out of time). A pod that can never start does not pass.
   */
  private static boolean mayPass(Optional<RunReport> report, JobObservation seen) {
    if (report.isPresent()) {
      return report.get().outcome() == Outcome.CONNECTION_FAILED;
    }
    return !Reason.POD_CONFIG_ERROR.equals(seen.reason());
  }

  /**
   * A transient failure: the attempt is kept in status.plan.check.failedAttempts, and after a
   * backoff the next attempt waits for a slot like a first one; the last attempt fails the request.
   */
  private Optional<Halt> retryOrFail(MigrationRequest request, MigrationRequestStatus status, PlanRun run,
      String reason, String why, String now) {
    DatabaseCheck check = status.plan.check;
    if (attempt(check) >= MAX_ATTEMPTS) {
      return Optional.of(failed(check, reason, why));
    }
    if (check.retryAt == null) {
      check.retryAt = Instant.parse(now).plus(RETRY_BACKOFF.get(attempt(check) - 1)).toString();
      check.failedAttempts.add(new DatabaseCheck.FailedAttempt(check.job, reason, why, check.evidence));
    }
    if (Instant.parse(now).isBefore(Instant.parse(check.retryAt))) {
      DatabaseCheck.FailedAttempt last = check.failedAttempts.get(check.failedAttempts.size() - 1);
      return Optional.of(new Halt(Phase.Pending, Reason.PLAN_RETRYING, "plan attempt " + attempt(check) + " of "
          + MAX_ATTEMPTS + " failed (" + last.reason + ": " + last.message + "); trying again at " + check.retryAt,
          new Action.None()));
    }
    check.attempt = attempt(check) + 1;
    check.job = null;
    check.jobUid = null;
    check.launchToken = null;
    check.evidence = null;
    check.retryAt = null;
    return Optional.of(takeSlot(request, status, run));
  }

  private static Halt failed(DatabaseCheck check, String reason, String why) {
    String attempts = attempt(check) > 1 ? " (attempt " + attempt(check) + " of " + MAX_ATTEMPTS + ")" : "";
    return new Halt(Phase.Failed, reason, "the plan Job could not read the database" + attempts + ": " + why
        + ". Nothing ran; fix it, then create a new request", new Action.None());
  }

  /** Plans recorded before retries existed have no attempt number: they are on their first. */
  private static int attempt(DatabaseCheck check) {
    return check.attempt == null ? 1 : check.attempt;
  }

  /**
   * The plan's digest is set once the plan is complete; an approval written before that could not
   * have seen it, so it is remembered as predating the plan.
   */
  private static void completePlan(PlanStatus plan, Optional<PlannedState> state, String approvedBy) {
    if (plan.digest != null) {
      return;
    }
    plan.digest = ApprovalDigests.approval(plan.scriptsDigest, state, ApprovalDigests.review(plan));
    plan.approvalBeforePlan = approvedBy;
  }

  private static String replanToken(MigrationRequest request) {
    Map<String, String> annotations = request.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(Annotations.REPLAN);
  }

  /** "orders at 10.0.0.5:5432": where the scripts will run, as the plan recorded it. */
  static String where(PlanStatus plan) {
    return plan.database.database + " at " + TargetDatabase.hosts(plan.database);
  }

  static String versionText(DatabaseCheck check) {
    return check.currentVersion == null ? "no applied migration" : "version " + check.currentVersion;
  }

  /**
   * What the approver reads: "will apply V3, V4 to orders at db:5432, now at version 2". For an
   * image source ({@code image} its reference): that its scripts were not read, and what was.
   */
  static String summary(PlanStatus plan, Optional<String> image) {
    DatabaseCheck check = plan.check;
    if (check == null || !DatabaseCheck.DATABASE.equals(check.mode)) {
      int scripts = plan.scripts == null ? 0 : plan.scripts.size();
      return image.map(ref -> "scripts-only plan (the scripts in image " + ref + " were not read")
          .orElse("scripts-only plan (" + scripts + " script(s)") + "; the database was not consulted before approval)";
    }
    if (image.isPresent() && check.pendingTotal == null) {
      return "will apply the scripts in image " + image.get() + ", not read before approval (the approval pins its"
          + " digest), to " + where(plan) + "; read before approval: the database only, now at " + versionText(check)
          + PlanJobReports.riskSummary(plan.risk);
    }
    String versions = check.pending.stream().map(p -> "V" + p.version).collect(Collectors.joining(", "));
    int more = check.pendingTotal - check.pending.size();
    return "will apply " + versions + (more > 0 ? " and " + more + " more" : "") + " to " + where(plan)
        + ", now at " + versionText(check) + PlanJobReports.riskSummary(plan.risk);
  }
}
