package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.contract.ScriptsDigest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlywayScriptsTest {

  @Test
  void versionedScriptsAreListedInFlywayOrderWithTheirDigest() {
    Map<String, String> data = Map.of(
        "V1_10__later.sql", "c", "V1_9__earlier.sql", "b", "V1__init.sql", "a", "R__views.sql", "v");
    var plan = (FlywayScripts.Valid) FlywayScripts.read("cm", data, null);
    assertThat(plan.scripts()).extracting(s -> s.name)
        .containsExactly("V1__init.sql", "V1_9__earlier.sql", "V1_10__later.sql", "R__views.sql");
    assertThat(plan.scripts().get(1).version).isEqualTo("1.9");
    assertThat(plan.scripts().get(1).description).isEqualTo("earlier");
    assertThat(plan.scripts().get(0).sha256).isEqualTo(ScriptsDigest.ofContent("a"));
    assertThat(plan.digest()).isEqualTo(ScriptsDigest.of(data));
  }

  @Test
  void digestChangesWhenAnyScriptChanges() {
    var one = (FlywayScripts.Valid) FlywayScripts.read("cm", Map.of("V1__a.sql", "x"), null);
    var other = (FlywayScripts.Valid) FlywayScripts.read("cm", Map.of("V1__a.sql", "y"), null);
    var renamed = (FlywayScripts.Valid) FlywayScripts.read("cm", Map.of("V1__b.sql", "x"), null);
    assertThat(one.digest()).isNotEqualTo(other.digest()).isNotEqualTo(renamed.digest());
  }

  @Test
  void moreScriptsThanAStatusCanListAreRefusedWithTheCount() {
    Map<String, String> data = new java.util.HashMap<>();
    for (int v = 1; v <= FlywayScripts.MAX_SCRIPTS + 1; v++) {
      data.put("V" + v + "__s.sql", "select 1;");
    }
    var plan = (FlywayScripts.Invalid) FlywayScripts.read("cm", data, null);
    assertThat(plan.message()).contains("1001 keys", "at most 1000 scripts");

    data.remove("V1__s.sql");
    assertThat(FlywayScripts.read("cm", data, null)).isInstanceOf(FlywayScripts.Valid.class);
  }

  @Test
  void aNameFlywayWouldIgnoreFailsThePlanNamingTheFile() {
    var plan = (FlywayScripts.Invalid) FlywayScripts.read("cm", Map.of("V1__ok.sql", "a", "v2_lower.sql", "b", "README", "c"), null);
    assertThat(plan.message()).contains("v2_lower.sql", "README").doesNotContain("V1__ok.sql not");
  }

  @Test
  void twoScriptsWithTheSameVersionFailThePlan() {
    var plan = (FlywayScripts.Invalid) FlywayScripts.read("cm", Map.of("V1__a.sql", "a", "V1.0__b.sql", "b"), null);
    assertThat(plan.message()).contains("V1.0__b.sql", "V1__a.sql", "share a version");
  }

  @Test
  void anEmptyConfigMapFailsThePlan() {
    assertThat(FlywayScripts.read("cm", Map.of(), null)).isInstanceOf(FlywayScripts.Invalid.class);
  }

  @Test
  void binaryDataIsRefused() {
    var plan = (FlywayScripts.Invalid) FlywayScripts.read("cm", Map.of("V1__a.sql", "a"), Map.of("V2__b.sql", "AAAA"));
    assertThat(plan.message()).contains("binaryData", "V2__b.sql");
  }
}
