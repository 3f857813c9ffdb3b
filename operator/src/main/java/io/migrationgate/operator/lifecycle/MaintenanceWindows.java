package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.MaintenanceWindow;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.api.v1alpha1.QueueStatus;
import io.migrationgate.contract.Durations;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether an approved run may start now, by the maintenance windows the plan copied from its
 * target. Decided with the operator's clock only. A window opens at its local start time in its
 * zone on each listed day and stays open for its duration in elapsed time; on a day the clocks go
 * forward past the start it opens when the skipped hour ends (java.time's rule for a gap), on a day
 * they go back it opens at the first of the two equal local times.
 */
public final class MaintenanceWindows {

  /** The decision: start now, wait for {@code opensAt}, or never start (a window the operator cannot read). */
  public sealed interface Decision {}

  public record Open() implements Decision {}

  public record Closed(Instant opensAt, String next) implements Decision {}

  public record Unreadable(String why) implements Decision {}

  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

  /** A window opened up to this many days ago may still be open: the longest lasts a week. */
  private static final int LOOK_BACK_DAYS = 8;

  private MaintenanceWindows() {}

  /** Null or empty: no windows, a run may start at any time. */
  public static Decision at(List<MaintenanceWindow> windows, Instant now) {
    if (windows == null || windows.isEmpty()) {
      return new Open();
    }
    List<Opening> next = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      Optional<Parsed> parsed = parse(windows.get(i));
      if (parsed.isEmpty()) {
        return new Unreadable("maintenance window " + (i + 1) + " (start " + windows.get(i).start + ", timeZone "
            + windows.get(i).timeZone + ", duration " + windows.get(i).duration + ") cannot be read by this operator");
      }
      Parsed w = parsed.get();
      LocalDate today = now.atZone(w.zone).toLocalDate();
      for (LocalDate day = today.minusDays(LOOK_BACK_DAYS); !day.isAfter(today.plusDays(LOOK_BACK_DAYS));
          day = day.plusDays(1)) {
        if (!w.days.contains(day.getDayOfWeek())) {
          continue;
        }
        ZonedDateTime opens = ZonedDateTime.of(day, w.start, w.zone);
        Instant start = opens.toInstant();
        if (!now.isBefore(start) && now.isBefore(start.plus(w.duration))) {
          return new Open();
        }
        if (start.isAfter(now)) {
          next.add(new Opening(opens));
        }
      }
    }
    Opening first = next.stream().min(Comparator.comparing(o -> o.at.toInstant())).orElseThrow();
    return new Closed(first.at.toInstant(), describe(first.at));
  }

  /** "Tue 2026-12-08 22:00 Europe/Berlin (2026-12-08T21:00:00Z)": local time first, then UTC. */
  static String describe(ZonedDateTime opens) {
    return opens.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT) + " " + LOCAL.format(opens) + " "
        + opens.getZone().getId() + " (" + opens.toInstant() + ")";
  }

  private record Opening(ZonedDateTime at) {}

  private record Parsed(List<DayOfWeek> days, LocalTime start, Duration duration, ZoneId zone) {}

  private static Optional<Parsed> parse(MaintenanceWindow w) {
    try {
      List<DayOfWeek> days = w.days == null || w.days.isEmpty() ? List.of(DayOfWeek.values())
          : w.days.stream().map(MaintenanceWindows::day).toList();
      Duration duration = Durations.parse(w.duration);
      if (duration.isZero() || duration.isNegative()) {
        return Optional.empty();
      }
      return Optional.of(new Parsed(days, LocalTime.parse(w.start), duration,
          ZoneId.of(w.timeZone == null ? "UTC" : w.timeZone)));
    } catch (DateTimeException | IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }

  private static DayOfWeek day(MaintenanceWindow.Weekday day) {
    return DayOfWeek.of(day.ordinal() + 1);
  }

  /**
   * An approved run starts only inside a window of the target as planned: empty to start now, else
   * Queued until one opens (its start in status.queue.windowOpensAt) or Failed for a window the
   * operator cannot read.
   */
  static Optional<Verdict> waitOrRefusal(MigrationRequestStatus status, Instant now) {
    if (status.plan.target == null) {
      return Optional.empty();
    }
    Decision window = at(status.plan.target.maintenanceWindows, now);
    if (window instanceof Unreadable unreadable) {
      return Optional.of(Verdict.of(Phase.Failed, Reason.INVALID_MAINTENANCE_WINDOW, unreadable.why()
          + "; nothing ran: the platform team corrects MigrationTarget " + status.plan.target.name
          + ", then create a new request"));
    }
    if (window instanceof Closed closed) {
      status.queue = new QueueStatus();
      status.queue.windowOpensAt = closed.opensAt().toString();
      return Optional.of(Verdict.of(Phase.Queued, Reason.OUTSIDE_MAINTENANCE_WINDOW, "approved; MigrationTarget "
          + status.plan.target.name + " starts runs only inside its maintenance windows: waiting for the next, "
          + closed.next() + ApprovalExpiry.expiresAt(status).map(at -> "; the approval expires at " + at).orElse("")));
    }
    return Optional.empty();
  }
}
