package io.migrationgate.contract;

import java.util.regex.Pattern;

/**
 * An image source is pinned by digest: a tag can be moved after approval, a digest cannot. The CRD
 * (a CEL rule quoting {@link #PATTERN}) and the operator check it.
 */
public final class PinnedImage {

  public static final String PATTERN = "^[^@\\s]+@sha256:[a-f0-9]{64}$";
  /** The CRD's CEL rule: a raw string, so the pattern is quoted as it is. */
  public static final String RULE = "self.matches(r'" + PATTERN + "')";
  public static final String HINT = "pinned by digest (name@sha256:<64 hex>)";

  private static final Pattern PINNED = Pattern.compile(PATTERN);

  private PinnedImage() {}

  public static boolean isPinned(String ref) {
    return ref != null && PINNED.matcher(ref).matches();
  }
}
