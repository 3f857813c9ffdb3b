package io.migrationgate.localcluster.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvResolverTest {

  @Test
  void expandsKnownReferencesKeepsUnknownOnesAndUnescapesDoubleDollar() {
    Map<String, String> env = Map.of("MODE", "fast", "DIR", "/work");
    assertThat(EnvResolver.expand("$(DIR)/x --mode=$(MODE)", env)).isEqualTo("/work/x --mode=fast");
    assertThat(EnvResolver.expand("$(MISSING) $$(MODE) $HOME", env)).isEqualTo("$(MISSING) $(MODE) $HOME");
  }
}
