package io.migrationgate.api.v1alpha1;

/** Annotations that people and admission policy set on a request; the operator only reads them. */
public final class Annotations {

  public static final String PREFIX = MigrationRequest.GROUP + "/";
  public static final String APPROVED_BY = PREFIX + "approved-by";
  public static final String REJECTED_BY = PREFIX + "rejected-by";
  public static final String REQUESTED_BY = PREFIX + "requested-by";
  public static final String APPROVED_DIGEST = PREFIX + "approved-digest";
  /** A new value asks for a fresh database plan; it voids approvals given before it. */
  public static final String REPLAN = PREFIX + "replan";

  /**
   * One approval per annotation: the key's name part is the approver's own (kubectl migrationgate approve
   * derives it from the username), the value {@code <plan digest> <username>}.
   */
  public static final String APPROVAL_PREFIX = "approval." + PREFIX;
  /** Beside an approval of the same key: a group the approver is in, checked by admission when written. */
  public static final String APPROVAL_GROUP_PREFIX = "approval-group." + PREFIX;
  /** Informational: who wrote the change a GitOps controller or CI synced; never trusted for four eyes. */
  public static final String AUTHORED_BY = PREFIX + "authored-by";

  private Annotations() {}
}
