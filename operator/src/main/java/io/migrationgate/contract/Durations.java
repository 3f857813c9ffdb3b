package io.migrationgate.contract;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar, shared by the CRD ({@code spec.timeout}), the operator (its spec check
 * and its MG_* settings) and the runner (its timeout options): Go-style durations as Kubernetes
 * manifests write them, whole or decimal amounts of {@code h}, {@code m}, {@code s} and
 * {@code ms}, one after another ({@code 15m}, {@code 1.5h}, {@code 1m30s}, {@code 500ms}). Every
 * text it admits is one CEL's {@code duration()} reads the same way, so the CRD's bounds rule
 * and this class agree.
 */
public final class Durations {

  /** The grammar; no backslash, so that a CRD annotation can quote it as it is. */
  public static final String PATTERN = "^([0-9]+([.][0-9]+)?(ms|s|m|h))+$";

  public static final String SHORTEST_JOB = "1m";
  public static final String LONGEST_JOB = "24h";

  /** The CRD's CEL rule for a Job deadline; CEL's duration() has to accept the text first. */
  public static final String JOB_TIMEOUT_RULE =
      "duration(self) >= duration('" + SHORTEST_JOB + "') && duration(self) <= duration('" + LONGEST_JOB + "')";

  public static final String JOB_TIMEOUT_BOUNDS = "must be between " + SHORTEST_JOB + " and " + LONGEST_JOB;

  private static final Pattern WHOLE = Pattern.compile(PATTERN);
  private static final Pattern PART = Pattern.compile("([0-9]+(?:[.][0-9]+)?)(ms|s|m|h)");

  private Durations() {}

  /** A Job deadline: the bounds the CRD puts on spec.timeout, and on the operator's default. */
  public static Duration jobTimeout(String text) {
    Duration timeout = parse(text);
    if (timeout.compareTo(parse(SHORTEST_JOB)) < 0 || timeout.compareTo(parse(LONGEST_JOB)) > 0) {
      throw new IllegalArgumentException(JOB_TIMEOUT_BOUNDS);
    }
    return timeout;
  }

  /** The shortest text of this grammar for a duration: whole seconds, else milliseconds. */
  public static String format(Duration duration) {
    if (duration.getNano() == 0) {
      return duration.getSeconds() + "s";
    }
    return new BigDecimal(duration.toNanos()).movePointLeft(6).stripTrailingZeros().toPlainString() + "ms";
  }

  /** Thrown with a message that follows the text, e.g. "30 is not a duration; ...". */
  public static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException("is not a duration; write it like 1.5h, 30s, 2m, 1m30s or 500ms");
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher part = PART.matcher(text);
    while (part.find()) {
      long unit = switch (part.group(2)) {
        case "h" -> 3_600_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "s" -> 1_000_000_000L;
        default -> 1_000_000L;
      };
      nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(unit)));
    }
    try {
      return Duration.ofNanos(nanos.setScale(0, RoundingMode.HALF_UP).longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("is too long a duration");
    }
  }
}
