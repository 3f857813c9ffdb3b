package io.migrationgate.localcluster.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.localcluster.faults.LaunchWindows.Caught;
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
    Caught caught = LaunchWindows.caught(launches, Set.of("a/r2-run", "a/r3-run"));
    assertThat(caught.markerToCreate()).containsExactlyInAnyOrder("a/r1-run", "b/r2-run");
    assertThat(caught.createToUid()).containsExactly("a/r2-run");
  }

  @Test
  void aLaunchStillInItsWindowAtTheNextKillCountsOnce() {
    Caught first = LaunchWindows.caught(List.of(new Launch("a", "r1-run", null)), Set.of());
    Caught second = LaunchWindows.caught(List.of(new Launch("a", "r1-run", null), new Launch("a", "r2-run", null)),
        Set.of("a/r2-run"));
    assertThat(first.plus(second).hits()).isEqualTo(new LaunchWindows.Hits(1, 1));
  }
}
