package io.migrationgate.localcluster.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.localcluster.faults.LaunchWindows.Launch;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LaunchWindowsTest {

  @Test
  void aMarkerWithoutItsJobAndAJobWithoutItsUidAreTheTwoWindows() {
    List<Launch> launches = List.of(
        new Launch("a", "r1-run", null),       // marker written, no Job yet
        new Launch("a", "r2-run", null),       // Job created, uid not recorded
        new Launch("a", "r3-run", "uid-3"),    // launched
        new Launch("a", null, null),           // not launching
        new Launch("b", "r2-run", null));      // same Job name, other namespace: no Job there
    assertThat(LaunchWindows.caught(launches, Set.of("a/r2-run", "a/r3-run")))
        .isEqualTo(new LaunchWindows.Hits(2, 1));
  }
}
