package io.migrationgate.operator;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations as Kubernetes users write them ("15m", "1h30m", "90s"). */
final class Durations {

  private static final Pattern WHOLE = Pattern.compile("([0-9]+(\\.[0-9]+)?(h|m|s))+");
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(h|m|s)");

  private static final Duration SHORTEST_JOB = Duration.ofMinutes(1);
  private static final Duration LONGEST_JOB = Duration.ofHours(24);

  private Durations() {}

  /** A Job deadline: the bounds the CRD puts on spec.timeout, and on the operator's default. */
  static Duration jobTimeout(String text) {
    Duration timeout = parse(text);
    if (timeout.compareTo(SHORTEST_JOB) < 0 || timeout.compareTo(LONGEST_JOB) > 0) {
      throw new IllegalArgumentException("must be between 1m and 24h");
    }
    return timeout;
  }

  static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException("expected a duration such as 90s, 15m or 1h30m");
    }
    double seconds = 0;
    Matcher part = PART.matcher(text);
    while (part.find()) {
      double amount = Double.parseDouble(part.group(1));
      seconds += switch (part.group(2)) {
        case "h" -> amount * 3600;
        case "m" -> amount * 60;
        default -> amount;
      };
    }
    return Duration.ofMillis(Math.round(seconds * 1000));
  }
}
