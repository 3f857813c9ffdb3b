package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiServerFlagsTest {

  @Test
  void aRestartedApiServerGetsTheNewValueWhicheverWayTheOldOneWasGiven() {
    Map<String, String> flags = Map.of("--min-request-timeout", "3");
    assertThat(ApiServerFlags.withFlags(List.of("--secure-port", "6443", "--min-request-timeout", "1800", "--v=2"), flags))
        .containsExactly("--secure-port", "6443", "--v=2", "--min-request-timeout=3");
    assertThat(ApiServerFlags.withFlags(List.of("--min-request-timeout=1800", "--secure-port=6443"), flags))
        .containsExactly("--secure-port=6443", "--min-request-timeout=3");
    assertThat(ApiServerFlags.withFlags(List.of("--secure-port", "6443"), flags))
        .containsExactly("--secure-port", "6443", "--min-request-timeout=3");
  }

  @Test
  void flagValuesAreFoundInBothForms() {
    assertThat(ApiServerFlags.flagValue(List.of("--a", "1", "--secure-port", "6443"), "--secure-port")).isEqualTo("6443");
    assertThat(ApiServerFlags.flagValue(List.of("--secure-port=6443"), "--secure-port")).isEqualTo("6443");
    assertThat(ApiServerFlags.flagValue(List.of("--secure-portx=1"), "--secure-port")).isEmpty();
  }
}
