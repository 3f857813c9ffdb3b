package io.migrationgate.operator.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.JobStatus;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestSpec;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.api.v1alpha1.PlanStatus;
import io.migrationgate.api.v1alpha1.QueueStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The request's lifecycle as one decision: given what is observed, what the status should be, why
 * (a {@link Verdict}), and which single side effect (if any) comes next. It reads nothing and
 * writes nothing, so each rule can be tested with plain objects and a fixed time; the reconciler
 * performs the effect and asks again.
 */
public final class RequestLifecycle {

  private static final ObjectMapper COPIER = new ObjectMapper();

  private final ProductionGuard guard;
  private final TargetAdmission targets;
  private final LaunchGate gate;
  private final ApprovalPolicy approvals;
  private final JobFactory jobFactory;
  private final DatabaseStateCheck databaseCheck;
  private final Supplier<Instant> now;
  private final Supplier<String> launchTokens;
  private final Duration runStartTimeout;

  /** {@code now} is the StatusRecorder's clock: the time status records, to the second. */
  public RequestLifecycle(ProductionGuard guard, TargetAdmission targets, ApprovalPolicy approvals,
      JobFactory jobFactory, boolean databasePlan, Supplier<Instant> now) {
    this(guard, targets, approvals, jobFactory, databasePlan, now, LaunchTokens::next);
  }

  /** {@code launchTokens} gives each launch marker its token; tests pass predictable ones. */
  public RequestLifecycle(ProductionGuard guard, TargetAdmission targets, ApprovalPolicy approvals,
      JobFactory jobFactory, boolean databasePlan, Supplier<Instant> now, Supplier<String> launchTokens) {
    this(guard, targets, approvals, jobFactory, databasePlan, now, launchTokens, RunStart.DEFAULT_TIMEOUT);
  }

  /** {@code runStartTimeout}: how long a launched run's pod may start no container before the run gives its turn back. */
  public RequestLifecycle(ProductionGuard guard, TargetAdmission targets, ApprovalPolicy approvals,
      JobFactory jobFactory, boolean databasePlan, Supplier<Instant> now, Supplier<String> launchTokens,
      Duration runStartTimeout) {
    this.runStartTimeout = runStartTimeout;
    this.guard = guard;
    this.targets = targets;
    this.databaseCheck = new DatabaseStateCheck(jobFactory, databasePlan, launchTokens);
    this.gate = new LaunchGate(guard);
    this.approvals = approvals;
    this.jobFactory = jobFactory;
    this.now = now;
    this.launchTokens = launchTokens;
  }

  /** How long a launched run's pod may start no container before the run gives its turn back. */
  public Duration runStartTimeout() {
    return runStartTimeout;
  }

  public Step next(Observed o) {
    MigrationRequest request = o.request();
    MigrationRequestStatus status = copyOf(request.getStatus());
    if (Statuses.isFinal(status)) {
      return new Step(status, Optional.empty(), new Action.None());
    }
    status.observedGeneration = request.getMetadata().getGeneration();
    // Only a refusal of the Job's creation keeps the request out of the database's line, and only
    // until the next decision (launchRefused).
    status.queue = null;
    if (status.job != null) {
      return observeJob(o, status);
    }
    Optional<String> invalid = SpecValidator.problems(request.getSpec());
    if (invalid.isPresent()) {
      return verdict(status, Phase.Failed, Reason.INVALID_SPEC,
          invalid.get() + ". The spec cannot change: delete this request and create a corrected one");
    }
    RequestAnnotations annotations = RequestAnnotations.of(request);
    Optional<ApprovalDecision.Rejected> rejection = ApprovalPolicy.rejection(annotations);
    if (rejection.isPresent()) {
      return verdict(status, Phase.Rejected, rejection.get().reason(), rejection.get().message());
    }
    Optional<String> refusal = guard.refusal(request.getMetadata().getNamespace(), o.namespaceLabels());
    if (refusal.isPresent()) {
      return verdict(status, Phase.Blocked, Reason.PRODUCTION_NAMESPACE, refusal.get());
    }
    Optional<Verdict> targetRefusal = targets.refusal(request, o.target(), o.namespaceLabels(), status.plan);
    if (targetRefusal.isPresent()) {
      return verdict(status, targetRefusal.get(), new Action.None());
    }
    if (status.plan == null) {
      Optional<Step> notPlanned = plan(o, status);
      if (notPlanned.isPresent()) {
        return notPlanned.get();
      }
    } else if (status.plan.digest != null) {
      status.plan.approvalBeforePlan = ApprovalPolicy.approvalBeforePlan(annotations, status.plan);
    }
    status.expiredApproval = ApprovalExpiry.stillNamed(status.expiredApproval, annotations);
    if (status.approval != null && ApprovalExpiry.expired(status, now.get())) {
      // Unused past its time: void, and the database is read again so the next approval sees it as it is now.
      status.expiredApproval = status.approval;
      status.approval = null;
      DatabaseStateCheck.replanAfterExpiry(status);
    }
    Optional<DatabaseStateCheck.Halt> checking =
        databaseCheck.next(request, status, o.planRun(), annotations.approvedBy(), now());
    if (checking.isPresent()) {
      DatabaseStateCheck.Halt halt = checking.get();
      return verdict(status, Verdict.of(halt.phase(), halt.reason(), halt.message()), halt.action());
    }
    String name = request.getMetadata().getName() + " -n " + request.getMetadata().getNamespace();
    if (status.approval == null && status.expiredApproval != null) {
      return verdict(status, Phase.AwaitingApproval, Reason.APPROVAL_EXPIRED, ApprovalExpiry.message(status, name));
    }
    if (status.approval == null) {
      ApprovalDecision decision = approvals.decide(name, annotations, status.plan,
          DatabaseStateCheck.summary(status.plan,
              Optional.ofNullable(request.getSpec().migrations.image).map(image -> image.ref)));
      if (decision instanceof ApprovalDecision.Rejected rejected) {
        return verdict(status, Phase.Rejected, rejected.reason(), rejected.message());
      }
      if (decision instanceof ApprovalDecision.Refused refused) {
        return verdict(status, Phase.Blocked, refused.reason(), refused.message());
      }
      if (decision instanceof ApprovalDecision.Waiting waiting) {
        // A replan refused is said while a person decides on the plan; an approval latched before it stands.
        Verdict awaiting = DatabaseStateCheck.replanRefused(request, status)
            .map(why -> new Verdict(Phase.AwaitingApproval, Reason.REPLAN_LIMIT, why, waiting.reason(), waiting.message()))
            .orElse(new Verdict(Phase.AwaitingApproval, waiting.reason(), waiting.message(), waiting.reason(),
                waiting.message()));
        return verdict(status, awaiting, new Action.None());
      }
      status.approval = ApprovalPolicy.latched((ApprovalDecision.Approved) decision, now());
      status.approval.expiresAt = ApprovalExpiry.expiresAt(status).map(Instant::toString).orElse(null);
    }
    Optional<Verdict> outside = MaintenanceWindows.waitOrRefusal(status, now.get());
    if (outside.isPresent()) {
      return verdict(status, outside.get(), new Action.None());
    }
    Optional<MigrationRequest> ahead = o.databaseAhead().get();
    if (ahead.isPresent()) {
      return verdict(status, Phase.Queued, Reason.WAITING_FOR_DATABASE,
          "approved; waiting for " + ahead.get().getMetadata().getNamespace() + "/"
              + ahead.get().getMetadata().getName() + " to finish on the same database");
    }
    return launch(o, status);
  }

  /**
   * The API server refused to create the Job (quota, admission, rights): nothing was created, so the
   * launch marker goes and the database is free for others; the request tries again later, through
   * every check of a first launch.
   */
  public Step launchRefused(MigrationRequest request, String why) {
    MigrationRequestStatus status = copyOf(request.getStatus());
    String job = status.job == null ? ResourceNames.job(request) : status.job.name;
    status.job = null;
    status.queue = new QueueStatus();
    status.queue.jobRefusedAt = now();
    return verdict(status, Phase.Queued, Reason.JOB_CREATE_REFUSED,
        "the API server refused to create Job " + job + ": " + why
            + "; nothing ran, the database is free for other requests and this one tries again");
  }

  /** Every launch, first or repeated after a crash, passes the gate; a refusal withdraws the marker. */
  private Step launch(Observed o, MigrationRequestStatus status) {
    MigrationRequest request = o.request();
    Optional<LaunchGate.Refusal> refusal =
        gate.refusal(request, status, o.liveNamespaceLabels().get(), o.snapshot());
    if (refusal.isPresent()) {
      status.job = null;
      return verdict(status, refusal.get().phase(), refusal.get().reason(), refusal.get().message());
    }
    // A marker written before a crash keeps its token: the Job it may have created carries it.
    if (status.job == null || status.job.launchToken == null) {
      status.job = new JobStatus();
      status.job.name = ResourceNames.job(request);
      status.job.launchToken = launchTokens.get();
      status.job.launchedAt = now();
    }
    return verdict(status, Verdict.of(Phase.Running, Reason.JOB_CREATED, "creating Job " + status.job.name),
        new Action.LaunchJob());
  }

  /** The scripts half of the plan; {@link DatabaseStateCheck} adds the database's half and the digest. */
  private Optional<Step> plan(Observed o, MigrationRequestStatus status) {
    MigrationRequest request = o.request();
    MigrationRequestSpec spec = request.getSpec();
    PlanStatus plan = new PlanStatus();
    o.target().map(t -> TargetAdmission.planned(t, jobFactory.placement().namespaceOf(request)))
        .ifPresent(target -> plan.target = target);
    plan.database = TargetDatabase.of(TargetAdmission.databaseOf(request, plan).url);
    if (spec.migrations.image != null) {
      plan.scriptsDigest = ApprovalDigests.ofImage(spec.migrations.image.ref);
    } else {
      String sourceName = spec.migrations.configMap.name;
      ConfigMap scripts = o.snapshot().orElse(null);
      if (scripts == null) {
        Optional<ConfigMap> source = o.source().get();
        if (source.isEmpty()) {
          return Optional.of(verdict(status, Phase.Pending, Reason.SOURCE_NOT_FOUND,
              "ConfigMap " + sourceName + " not found in namespace " + request.getMetadata().getNamespace()
                  + "; the request waits for it (GitOps may still be syncing it)"));
        }
        scripts = source.get();
      }
      FlywayScripts.Listing planned = FlywayScripts.read(sourceName, scripts.getData(), scripts.getBinaryData());
      if (planned instanceof FlywayScripts.Invalid invalid) {
        return Optional.of(verdict(status, Phase.Pending, Reason.INVALID_SCRIPTS,
            invalid.message() + "; the request waits for a corrected ConfigMap"));
      }
      if (o.snapshot().isEmpty()) {
        return Optional.of(new Step(status, Optional.empty(),
            new Action.CreateSnapshot(SnapshotFactory.snapshotOf(request, scripts, jobFactory.placement()))));
      }
      FlywayScripts.Valid valid = (FlywayScripts.Valid) planned;
      plan.scriptsDigest = valid.digest();
      plan.scripts = valid.scripts();
      plan.snapshot = o.snapshot().get().getMetadata().getName();
      plan.snapshotUid = o.snapshot().get().getMetadata().getUid();
    }
    plan.recordedAt = now();
    status.plan = plan;
    return Optional.empty();
  }

  private Step observeJob(Observed o, MigrationRequestStatus status) {
    MigrationRequest request = o.request();
    if (o.job().isEmpty()) {
      if (status.job.uid != null) {
        return verdict(status, Phase.Failed, Reason.JOB_LOST,
            "Job " + status.job.name + " was deleted before its result was recorded; " + StatusMessages.JOB_LOST_ADVICE);
      }
      // The launch marker was written but the Job was never seen: a crash came in between.
      return launch(o, status);
    }
    Job job = o.job().get();
    if (status.job.uid == null) {
      if (status.plan == null || status.approval == null) {
        return verdict(status, Phase.Failed, Reason.UNTRUSTED_STATUS, "status names Job "
            + status.job.name + " without a plan and a latched approval; the operator did not adopt it. "
            + StatusMessages.UNTRUSTED_STATUS_ADVICE);
      }
      Optional<String> conflict = TrustedObjects.jobConflict(job, jobFactory.build(request), request);
      if (conflict.isPresent()) {
        return verdict(status, Phase.Failed, Reason.OWNED_OBJECT_CONFLICT, conflict.get()
            + "; the operator did not adopt it and launched nothing. " + StatusMessages.OWNED_OBJECT_CONFLICT_ADVICE);
      }
    }
    status.job.uid = job.getMetadata().getUid();
    status.job.createdAt = job.getMetadata().getCreationTimestamp();
    JobObservation seen = JobObserver.observe(job, o.pod());
    boolean waitedForSecret = Reason.SECRET_NOT_FOUND.equals(status.job.podWaiting);
    status.job.podWaiting = seen.podWaiting() ? seen.reason() : null;
    status.job.startedAt = seen.startedAt();
    status.job.pod = seen.pod() != null ? seen.pod() : status.job.pod;
    Optional<String> givenBack = seen.state() == JobObservation.State.PENDING
        ? RunStart.givenBack(status.job.launchedAt, job, o.pod(), this.now.get(), runStartTimeout) : Optional.empty();
    if (givenBack.isPresent()) {
      status.job.finishedAt = now();
      if (status.evidence == null) {
        status.evidence = o.evidence().orElse(null);
      }
      return verdict(status, Verdict.of(Phase.Failed, Reason.RUN_NOT_STARTED, givenBack.get()),
          afterTheJob(status, new JobObservation(JobObservation.State.FAILED, Reason.RUN_NOT_STARTED, givenBack.get(),
              seen.startedAt(), status.job.finishedAt, seen.pod(), null, null), job,
              Phase.Failed + " " + Reason.RUN_NOT_STARTED + ": " + givenBack.get()));
    }
    switch (seen.state()) {
      case PENDING, RUNNING -> {
        return verdict(status, Phase.Running, seen.reason(), seen.message());
      }
      default -> {
        status.job.finishedAt = seen.finishedAt() != null ? seen.finishedAt() : now();
        status.result = RunResults.from(seen);
        boolean succeeded = seen.state() == JobObservation.State.SUCCEEDED;
        String reason = succeeded ? seen.reason() : RunResults.failureReason(status.result, seen);
        String message = status.result.message == null ? seen.message() : seen.message() + ": " + status.result.message;
        if (Reason.DEADLINE_EXCEEDED.equals(reason) && waitedForSecret) {
          message += "; its pod waited for the credentials Secret until the deadline: create the Secret, then a new request";
        }
        Phase phase = succeeded ? Phase.Succeeded : Phase.Failed;
        if (status.evidence == null) {
          status.evidence = o.evidence().orElse(null);
        }
        return verdict(status, Verdict.of(phase, reason, message), afterTheJob(status, seen, job,
            phase + " " + reason + ": " + message));
      }
    }
  }

  /** Evidence first; then a Job whose pod can never start (or gave its turn back) is deleted, so it cannot start later. */
  private static Action afterTheJob(MigrationRequestStatus status, JobObservation seen, Job job, String outcome) {
    if (status.evidence == null) {
      return new Action.CaptureEvidence(seen, outcome);
    }
    if ((Reason.POD_CONFIG_ERROR.equals(seen.reason()) || Reason.RUN_NOT_STARTED.equals(seen.reason()))
        && job.getMetadata().getDeletionTimestamp() == null) {
      return new Action.DeleteJob(job);
    }
    return new Action.None();
  }

  private static Step verdict(MigrationRequestStatus s, Phase phase, String reason, String message) {
    return verdict(s, Verdict.of(phase, reason, message), new Action.None());
  }

  private static Step verdict(MigrationRequestStatus s, Verdict v, Action action) {
    s.phase = v.phase();
    return new Step(s, Optional.of(v), action);
  }

  private String now() {
    return now.get().toString();
  }

  /** A deep copy: decisions are made on a copy, so the cached request is never changed in place. */
  public static MigrationRequestStatus copyOf(MigrationRequestStatus status) {
    return status == null ? new MigrationRequestStatus()
        : COPIER.convertValue(status, MigrationRequestStatus.class);
  }
}
