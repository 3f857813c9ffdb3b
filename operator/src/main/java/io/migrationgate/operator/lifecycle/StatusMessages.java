package io.migrationgate.operator.lifecycle;

/**
 * How status messages read. They are read in a terminal ({@code kubectl get}, {@code describe}), so
 * they are bounded; a stack of causes or a whole log belongs in the operator's log or the evidence.
 */
public final class StatusMessages {

  /** The longest message status keeps, in characters. */
  public static final int MAX_LENGTH = 1024;

  /** Ends an UntrustedStatus message: what status is, and what to do. */
  public static final String UNTRUSTED_STATUS_ADVICE =
      "Status is written only by the operator (check who changed it: audit log), so create a new request";

  /** Ends an OwnedObjectConflict message. */
  public static final String OWNED_OBJECT_CONFLICT_ADVICE =
      "Find out who created it, delete it, then create a new request";

  /** Ends a JobLost message: nobody can tell from the cluster whether the migration ran. */
  public static final String JOB_LOST_ADVICE =
      "the migration may or may not have run: check the database's history table before creating a new request";

  private StatusMessages() {}

  /** {@code text}, or its first characters and "..." when it is longer than {@link #MAX_LENGTH}. */
  public static String clipped(String text) {
    return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH - 3) + "...";
  }
}
