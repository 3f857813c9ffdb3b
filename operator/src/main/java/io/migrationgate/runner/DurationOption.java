package io.migrationgate.runner;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations the way Kubernetes manifests write them ({@code 30s}, {@code 2m}, {@code 1m30s},
 * {@code 500ms}) so that a value can travel from a MigrationRequest to the runner unchanged.
 */
final class DurationOption {

  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h))+");
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  private DurationOption() {}

  static Duration parse(String option, String text) throws BadArgumentsException {
    String value = text.strip();
    if (!WHOLE.matcher(value).matches()) {
      throw new BadArgumentsException(
          "--" + option + "=" + text + " is not a duration; write it like 30s, 2m, 1m30s or 500ms");
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(value);
    try {
      while (part.find()) {
        long amount = Long.parseLong(part.group(1));
        total =
            total.plus(
                switch (part.group(2)) {
                  case "ms" -> Duration.ofMillis(amount);
                  case "s" -> Duration.ofSeconds(amount);
                  case "m" -> Duration.ofMinutes(amount);
                  default -> Duration.ofHours(amount);
                });
      }
    } catch (NumberFormatException | ArithmeticException e) {
      throw new BadArgumentsException("--" + option + "=" + text + " is too long a duration");
    }
    if (total.isZero()) {
      throw new BadArgumentsException("--" + option + " must be longer than zero");
    }
    return total;
  }
}
