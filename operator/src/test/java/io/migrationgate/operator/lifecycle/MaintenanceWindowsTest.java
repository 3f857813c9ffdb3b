package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.api.v1alpha1.MaintenanceWindow;
import io.migrationgate.operator.lifecycle.MaintenanceWindows.Closed;
import io.migrationgate.operator.lifecycle.MaintenanceWindows.Decision;
import io.migrationgate.operator.lifecycle.MaintenanceWindows.Open;
import io.migrationgate.operator.lifecycle.MaintenanceWindows.Unreadable;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Maintenance windows decided at fixed instants: no clock but the one the test gives. */
class MaintenanceWindowsTest {

  static MaintenanceWindow window(List<MaintenanceWindow.Weekday> days, String start, String duration, String zone) {
    MaintenanceWindow w = new MaintenanceWindow();
    w.days = days;
    w.start = start;
    w.duration = duration;
    w.timeZone = zone;
    return w;
  }

  private static Decision at(String instant, MaintenanceWindow... windows) {
    return MaintenanceWindows.at(List.of(windows), Instant.parse(instant));
  }

  @Test
  void noWindowsMeansAnyTime() {
    assertThat(MaintenanceWindows.at(null, Instant.parse("2026-12-07T03:00:00Z"))).isInstanceOf(Open.class);
    assertThat(MaintenanceWindows.at(List.of(), Instant.parse("2026-12-07T03:00:00Z"))).isInstanceOf(Open.class);
  }

  @Test
  void openFromItsStartUpToButNotIncludingItsEnd() {
    MaintenanceWindow nightly = window(null, "22:00", "2h", "UTC");
    assertThat(at("2026-12-07T21:59:59Z", nightly)).isInstanceOf(Closed.class);
    assertThat(at("2026-12-07T22:00:00Z", nightly)).isInstanceOf(Open.class);
    assertThat(at("2026-12-07T23:59:59Z", nightly)).isInstanceOf(Open.class);
    assertThat(at("2026-12-08T00:00:00Z", nightly)).isInstanceOf(Closed.class);
  }

  @Test
  void aWindowRunsPastMidnightIntoADayNotListed() {
    // Friday 23:00 for 3h: Saturday 01:30 is inside although Saturday is not listed.
    MaintenanceWindow friday = window(List.of(MaintenanceWindow.Weekday.Fri), "23:00", "3h", "UTC");
    assertThat(at("2026-12-12T01:30:00Z", friday)).isInstanceOf(Open.class);
    Closed closed = (Closed) at("2026-12-12T02:00:00Z", friday);
    assertThat(closed.opensAt()).isEqualTo(Instant.parse("2026-12-18T23:00:00Z"));
    assertThat(closed.next()).isEqualTo("Fri 2026-12-18 23:00 UTC (2026-12-18T23:00:00Z)");
  }

  @Test
  void theNextStartIsNamedInTheWindowsZoneAndInUtc() {
    MaintenanceWindow berlin = window(List.of(MaintenanceWindow.Weekday.Tue, MaintenanceWindow.Weekday.Thu), "22:00", "1h", "Europe/Berlin");
    // Monday 2026-12-07 12:00 UTC: the next is Tuesday 22:00 in Berlin, 21:00 UTC in winter.
    Closed closed = (Closed) at("2026-12-07T12:00:00Z", berlin);
    assertThat(closed.opensAt()).isEqualTo(Instant.parse("2026-12-08T21:00:00Z"));
    assertThat(closed.next()).isEqualTo("Tue 2026-12-08 22:00 Europe/Berlin (2026-12-08T21:00:00Z)");
    assertThat(at("2026-12-08T21:30:00Z", berlin)).isInstanceOf(Open.class);
  }

  @Test
  void theEarliestOfSeveralWindowsIsNamed() {
    MaintenanceWindow tokyo = window(null, "03:00", "1h", "Asia/Tokyo");
    MaintenanceWindow newYork = window(null, "03:00", "1h", "America/New_York");
    // 2026-12-07T12:00Z: Tokyo's 03:00 is 18:00Z, New York's is 08:00Z next day.
    Closed closed = (Closed) at("2026-12-07T12:00:00Z", newYork, tokyo);
    assertThat(closed.opensAt()).isEqualTo(Instant.parse("2026-12-07T18:00:00Z"));
    assertThat(at("2026-12-08T08:10:00Z", newYork, tokyo)).isInstanceOf(Open.class);
  }

  @Test
  void onTheDayTheClocksGoForwardAStartInTheSkippedHourOpensWhenItEnds() {
    // Europe/Berlin 2026-03-29: 02:00 local jumps to 03:00 (01:00Z). A 02:30 start opens at 03:30 local, 01:30Z.
    MaintenanceWindow skipped = window(null, "02:30", "1h", "Europe/Berlin");
    Closed closed = (Closed) at("2026-03-29T00:00:00Z", skipped);
    assertThat(closed.opensAt()).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
    assertThat(at("2026-03-29T02:29:59Z", skipped)).as("open for one hour of elapsed time").isInstanceOf(Open.class);
    assertThat(at("2026-03-29T02:30:00Z", skipped)).isInstanceOf(Closed.class);
  }

  @Test
  void onTheDayTheClocksGoBackTheDurationIsElapsedTime() {
    // Europe/Berlin 2026-10-25: 03:00 local goes back to 02:00 (01:00Z). 01:00 local is 23:00Z the day before;
    // a 3h window ends at 02:00Z, which reads 03:00 local although four local hours went by.
    MaintenanceWindow overnight = window(null, "01:00", "3h", "Europe/Berlin");
    assertThat(at("2026-10-25T01:59:59Z", overnight)).isInstanceOf(Open.class);
    assertThat(at("2026-10-25T02:00:00Z", overnight)).isInstanceOf(Closed.class);
    // A start in the repeated hour opens at its first occurrence (summer time, 00:30Z).
    Closed repeated = (Closed) at("2026-10-25T00:00:00Z", window(null, "02:30", "10m", "Europe/Berlin"));
    assertThat(repeated.opensAt()).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
  }

  @Test
  void aWindowTheOperatorCannotReadIsSaidNotSkipped() {
    Decision d = at("2026-12-07T12:00:00Z", window(null, "22:00", "1h", "Mars/Olympus_Mons"));
    assertThat(d).isInstanceOf(Unreadable.class);
    assertThat(((Unreadable) d).why()).contains("Mars/Olympus_Mons");
  }
}
