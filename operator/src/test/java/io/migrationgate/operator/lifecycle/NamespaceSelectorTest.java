package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NamespaceSelectorTest {

  @Test
  void equalityMatchesOnlyThatValue() {
    var selector = NamespaceSelector.parse("environment=production");
    assertThat(selector.matches(Map.of("environment", "production"))).isTrue();
    assertThat(selector.matches(Map.of("environment", "staging"))).isFalse();
    assertThat(selector.matches(Map.of())).isFalse();
  }

  @Test
  void setBasedExistenceAndNegationCombine() {
    var selector = NamespaceSelector.parse("tier in (prod, live),!sandbox,region");
    assertThat(selector.matches(Map.of("tier", "live", "region", "eu"))).isTrue();
    assertThat(selector.matches(Map.of("tier", "live", "region", "eu", "sandbox", "yes"))).isFalse();
    assertThat(selector.matches(Map.of("tier", "dev", "region", "eu"))).isFalse();
    assertThat(NamespaceSelector.parse("tier notin (dev)").matches(Map.of("tier", "prod"))).isTrue();
    assertThat(NamespaceSelector.parse("environment!=staging").matches(Map.of())).isTrue();
  }

  @Test
  void emptyOrGarbledSelectorsAreRefused() {
    assertThatThrownBy(() -> NamespaceSelector.parse(" ")).hasMessageContaining("block every namespace");
    assertThatThrownBy(() -> NamespaceSelector.parse("a in b")).hasMessageContaining("a in b");
  }

  @Test
  void anEmptyValueSetIsRefusedInsteadOfBlockingNothing() {
    for (String failOpen : java.util.List.of("environment in ()", "environment in ( )", "environment notin ()",
        "environment in (production,)", "team=a,environment in ()")) {
      assertThatThrownBy(() -> NamespaceSelector.parse(failOpen)).as(failOpen)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("empty value").hasMessageContaining("would block nothing");
    }
    assertThat(NamespaceSelector.parse("environment in (production,production)")
        .matches(Map.of("environment", "production"))).isTrue();
  }
}
