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

  private Annotations() {}
}
