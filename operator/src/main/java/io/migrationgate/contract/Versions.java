package io.migrationgate.contract;

import java.util.regex.Pattern;
import org.flywaydb.core.api.MigrationVersion;

/**
 * What a request may write as a Flyway version ({@code spec.target}, {@code baselineVersion}, the
 * {@code V<version>__} of a script name), checked at admission, by the operator and by the runner;
 * versions are compared by Flyway's own {@link MigrationVersion}, so the plan lists scripts in the
 * order Flyway runs them ({@code 1.10} after {@code 1.9}, {@code 1.0} the same as {@code 1}).
 */
public final class Versions {

  public static final String LATEST = "latest";

  /** Digits separated by dots or underscores, a subset of what Flyway reads. */
  public static final String VERSION = "[0-9]+([._][0-9]+)*";

  public static final String VERSION_PATTERN = "^" + VERSION + "$";

  /** {@code latest}, in exactly that spelling, or a version. */
  public static final String TARGET_PATTERN = "^(" + LATEST + "|" + VERSION + ")$";

  public static final String TARGET_HINT = "'latest' or a version such as 5 or 2.1";

  private static final Pattern VERSION_SHAPE = Pattern.compile(VERSION_PATTERN);
  private static final Pattern TARGET_SHAPE = Pattern.compile(TARGET_PATTERN);

  private Versions() {}

  public static boolean isVersion(String text) {
    return text != null && VERSION_SHAPE.matcher(text).matches();
  }

  public static boolean isTarget(String text) {
    return text != null && TARGET_SHAPE.matcher(text).matches();
  }

  /** Flyway's reading of a version this class admits. */
  public static MigrationVersion of(String version) {
    if (!isVersion(version)) {
      throw new IllegalArgumentException("'" + version + "' is not a version such as 5 or 2.1");
    }
    return MigrationVersion.fromVersion(version);
  }
}
