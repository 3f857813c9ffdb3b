package io.migrationgate.api.v1alpha1;

import io.migrationgate.contract.Outcome;

/**
 * Condition types and reasons. They are part of the API: users search for them, alerts and GitOps
 * health checks match them, so a name never changes once released.
 */
public final class Conditions {

  public static final String PLANNED = "Planned";
  public static final String APPROVED = "Approved";
  public static final String BLOCKED = "Blocked";
  public static final String RUNNING = "Running";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
  public static final String READY = "Ready";
  /**
   * kstatus's standard conditions (sigs.k8s.io/cli-utils/pkg/kstatus): present, and True, only
   * while the request is on its way (Reconciling) or will not get further without a person
   * (Stalled); absent otherwise, as kstatus's "abnormal-true" convention has it.
   */
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  /** True while reconciling the request fails unexpectedly; the next reconcile that succeeds removes it. */
  public static final String RECONCILE_ERROR = "ReconcileError";

  /**
   * Reasons, each a CamelCase word a user can search the docs for. Those of a finished run come
   * from the contract's table of outcomes, exit codes and reasons ({@link Outcome}).
   */
  public static final class Reason {
    public static final String PLAN_RECORDED = "PlanRecorded";
    public static final String SOURCE_NOT_FOUND = "SourceNotFound";
    public static final String INVALID_SCRIPTS = "InvalidScripts";
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String AWAITING_APPROVAL = "AwaitingApproval";
    public static final String BLANK_DECISION = "BlankDecision";
    public static final String SELF_APPROVAL = "SelfApproval";
    public static final String REQUESTER_UNKNOWN = "RequesterUnknown";
    public static final String DIGEST_MISMATCH = "DigestMismatch";
    public static final String APPROVAL_PREDATES_PLAN = "ApprovalPredatesPlan";
    public static final String SERVICE_ACCOUNT_APPROVAL = "ServiceAccountApproval";
    public static final String DESTRUCTIVE_NOT_ALLOWED = "DestructiveNotAllowed";
    public static final String APPROVED = "Approved";
    public static final String REJECTED = "Rejected";
    public static final String CONFLICTING_DECISION = "ConflictingDecision";
    public static final String PRODUCTION_NAMESPACE = "ProductionNamespace";
    public static final String NAMESPACE_ALLOWED = "NamespaceAllowed";
    public static final String INLINE_DATABASES_DISABLED = "InlineDatabasesDisabled";
    public static final String TARGET_NOT_FOUND = "TargetNotFound";
    public static final String TARGET_NOT_ALLOWED = "TargetNotAllowed";
    public static final String PRODUCTION_TARGET = "ProductionTarget";
    public static final String TARGET_CHANGED = "TargetChanged";
    public static final String WAITING_FOR_DATABASE = "WaitingForDatabase";
    public static final String APPROVAL_EXPIRED = "ApprovalExpired";
    public static final String OUTSIDE_MAINTENANCE_WINDOW = "OutsideMaintenanceWindow";
    public static final String INVALID_MAINTENANCE_WINDOW = "InvalidMaintenanceWindow";
    public static final String JOB_CREATED = "JobCreated";
    public static final String JOB_RUNNING = "JobRunning";
    public static final String JOB_FINISHED = "JobFinished";
    public static final String MIGRATION_SUCCEEDED = Outcome.SUCCEEDED.conditionReason();
    public static final String JOB_FAILED = "JobFailed";
    public static final String VERIFICATION_FAILED = Outcome.VERIFICATION_FAILED.conditionReason();
    public static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
    public static final String JOB_LOST = "JobLost";
    public static final String RUN_NOT_STARTED = "RunNotStarted";
    public static final String SECRET_NOT_FOUND = "CredentialsSecretNotFound";
    public static final String POD_CONFIG_ERROR = "PodConfigError";
    public static final String IMAGE_PULL_FAILED = "ImagePullFailed";
    public static final String SNAPSHOT_DIGEST_MISMATCH = Outcome.DIGEST_MISMATCH.conditionReason();
    public static final String DATABASE_UNREACHABLE = Outcome.CONNECTION_FAILED.conditionReason();
    public static final String VALIDATION_FAILED = Outcome.VALIDATION_FAILED.conditionReason();
    public static final String MIGRATION_FAILED = Outcome.MIGRATION_FAILED.conditionReason();
    public static final String RUNNER_ARGUMENTS_REFUSED = Outcome.BAD_ARGUMENTS.conditionReason();
    public static final String REPORT_MISSING = "ReportMissing";
    public static final String UNTRUSTED_STATUS = "UntrustedStatus";
    public static final String JOB_CREATE_REFUSED = "JobCreateRefused";
    public static final String OWNED_OBJECT_CONFLICT = "OwnedObjectConflict";
    public static final String EVIDENCE_NOT_RECORDED = "EvidenceNotRecorded";
    public static final String CHECKING_DATABASE = "CheckingDatabase";
    public static final String WAITING_FOR_PLAN_SLOT = "WaitingForPlanSlot";
    public static final String PLAN_RETRYING = "PlanRetrying";
    public static final String CREDENTIALS_REFUSED = Outcome.CREDENTIALS_REFUSED.conditionReason();
    public static final String DATA_CHECK_FAILED = Outcome.DATA_CHECK_FAILED.conditionReason();
    public static final String PLAN_FINDINGS = "PlanFindings";
    public static final String NOTHING_TO_APPLY = "NothingToApply";
    public static final String PLAN_FAILED = "PlanFailed";
    public static final String REPLANNED = "Replanned";
    /** An Event only: the request is being deleted and waits for its Job to end. */
    public static final String WAITING_FOR_JOB = "WaitingForJob";
    public static final String REPLAN_LIMIT = "ReplanLimitReached";
    public static final String API_SERVER_ERROR = "ApiServerError";
    public static final String UNEXPECTED_ERROR = "UnexpectedError";

    private Reason() {}
  }

  private Conditions() {}
}
