package io.migrationgate.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void readsWholeAndDecimalAmountsOfHoursMinutesSecondsAndMilliseconds() {
    assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("0.25s")).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void refusesWhatTheCrdPatternRefuses() {
    for (String text : List.of("30", "2d", "1.s", ".5s", "-1s", " 30s", "1h 30m", "", "1us")) {
      assertThatThrownBy(() -> Durations.parse(text)).as(text).hasMessageContaining("is not a duration");
      assertThat(text.matches(Durations.PATTERN)).as(text).isFalse();
    }
    assertThatThrownBy(() -> Durations.parse("99999999999h")).hasMessage("is too long a duration");
  }

  @Test
  void aJobTimeoutIsBetweenTheCrdsBounds() {
    assertThat(Durations.jobTimeout("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(Durations.jobTimeout("24h")).isEqualTo(Duration.ofHours(24));
    assertThatThrownBy(() -> Durations.jobTimeout("59s")).hasMessage("must be between 1m and 24h");
    assertThatThrownBy(() -> Durations.jobTimeout("24h1s")).hasMessage("must be between 1m and 24h");
  }

  @Test
  void formatsADurationSoThatItParsesBack() {
    for (Duration duration : List.of(Duration.ofSeconds(30), Duration.ofMillis(1500), Duration.ofNanos(250_000))) {
      assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
    }
    assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("120s");
  }
}
