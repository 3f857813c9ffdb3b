package io.migrationgate.localcluster.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PathRewriterTest {

  final PathRewriter paths = new PathRewriter(Map.of(
      "/tmp", "/tmp/pod/volumes/tmp",
      "/workspace/scripts/", "/tmp/pod/volumes/scripts",
      "/dev/termination-log", "/tmp/pod/termination-log"));

  @Test
  void rewritesWholePathPrefixesInsideArguments() {
    assertThat(paths.rewrite("-Djava.io.tmpdir=/tmp")).isEqualTo("-Djava.io.tmpdir=/tmp/pod/volumes/tmp");
    assertThat(paths.rewrite("--scripts=/workspace/scripts")).isEqualTo("--scripts=/tmp/pod/volumes/scripts");
    assertThat(paths.rewrite("/workspace/scripts/V1__a.sql")).isEqualTo("/tmp/pod/volumes/scripts/V1__a.sql");
    assertThat(paths.rewrite("--report-file=/dev/termination-log"))
        .isEqualTo("--report-file=/tmp/pod/termination-log");
    assertThat(paths.rewrite("cat /tmp/a && ls /tmp")).isEqualTo("cat /tmp/pod/volumes/tmp/a && ls /tmp/pod/volumes/tmp");
  }

  @Test
  void leavesOtherPathsAloneAndDoesNotRewriteTwice() {
    assertThat(paths.rewrite("/tmpfiles/x")).isEqualTo("/tmpfiles/x");
    assertThat(paths.rewrite("/var/tmp")).isEqualTo("/var/tmp");
    assertThat(paths.rewrite("/workspace/scripts-old")).isEqualTo("/workspace/scripts-old");
    assertThat(paths.rewrite("/tmp/pod")).isEqualTo("/tmp/pod/volumes/tmp/pod");
    assertThat(new PathRewriter(Map.of()).rewrite("/tmp")).isEqualTo("/tmp");
  }
}
