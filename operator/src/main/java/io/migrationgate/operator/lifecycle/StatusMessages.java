package io.migrationgate.operator.lifecycle;

/**
 * How status messages read. They are read in a terminal ({@code kubectl get}, {@code describe}), so
 * they are bounded; a stack of causes or a whole log belongs in the operator's log or the evidence.
 */
public final class StatusMessages {

  /** The longest message status keeps, in characters. */
  public static final int MAX_LENGTH = 1024;

  private StatusMessages() {}

  /** {@code text}, or its first characters and "..." when it is longer than {@link #MAX_LENGTH}. */
  public static String clipped(String text) {
    return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH - 3) + "...";
  }
}
