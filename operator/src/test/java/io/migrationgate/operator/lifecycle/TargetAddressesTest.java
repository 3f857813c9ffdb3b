package io.migrationgate.operator.lifecycle;

import static io.migrationgate.operator.lifecycle.TargetChecksTest.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import io.migrationgate.api.v1alpha1.MigrationTargetStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetAddressesTest {

  private static final String RUNS = "migration-gate";

  @Test
  void everySpellingOfAServiceNameIsOneAddress() {
    List<String> spellings = List.of(
        "jdbc:postgresql://orders-db/orders",
        "jdbc:postgresql://ORDERS-DB:5432/orders",
        "jdbc:postgresql://orders-db.migration-gate/orders",
        "jdbc:postgresql://orders-db.migration-gate.svc:5432/orders",
        "jdbc:postgresql://orders-db.migration-gate.svc.cluster.local/orders?sslmode=require",
        "jdbc:postgresql://orders-db.migration-gate.svc.cluster.local./orders/");
    assertThat(spellings.stream().map(url -> TargetAddresses.address(target("t", url, 1), RUNS)).distinct())
        .containsExactly("postgresql://orders-db.migration-gate:5432/orders");
  }

  @Test
  void anotherNamespaceDatabaseOrPortIsAnotherAddress() {
    String mine = TargetAddresses.address(target("a", "jdbc:postgresql://orders-db/orders", 1), RUNS);
    assertThat(List.of("jdbc:postgresql://orders-db.shop/orders", "jdbc:postgresql://orders-db/billing",
            "jdbc:postgresql://orders-db:5433/orders", "jdbc:mysql://orders-db/orders")
        .stream().map(url -> TargetAddresses.address(target("b", url, 1), RUNS)))
        .doesNotContain(mine);
  }

  @Test
  void bothTargetsOfOneDatabaseNameTheOther() {
    MigrationTarget a = target("orders-a", "jdbc:postgresql://orders-db/orders", 1);
    MigrationTarget b = target("orders-b", "jdbc:postgresql://orders-db.migration-gate.svc.cluster.local:5432/orders", 1);
    MigrationTarget c = target("billing", "jdbc:postgresql://orders-db/billing", 1);
    List<MigrationTarget> all = List.of(a, b, c);

    assertThat(TargetAddresses.sharing(a, all, RUNS)).containsExactly("orders-b");
    assertThat(TargetAddresses.sharing(b, all, RUNS)).containsExactly("orders-a");
    assertThat(TargetAddresses.sharing(c, all, RUNS)).isEmpty();
    Condition warning = TargetAddresses.condition(TargetAddresses.sharing(a, all, RUNS));
    assertThat(warning.getType()).isEqualTo(MigrationTargetStatus.DUPLICATE_ADDRESS);
    assertThat(warning.getStatus()).isEqualTo("True");
    assertThat(warning.getReason()).isEqualTo(TargetAddresses.ADDRESS_SHARED);
    assertThat(warning.getMessage()).contains("orders-b");
  }

  @Test
  void anIpAddressIsNotMistakenForAServiceName() {
    assertThat(TargetAddresses.address(target("t", "jdbc:postgresql://10.96.0.12/orders", 1), RUNS))
        .isEqualTo("postgresql://10.96.0.12:5432/orders");
  }

  @Test
  void anInlineDatabaseFindsTheProductionTargetOfItsDatabaseInAnySpelling() {
    MigrationTarget production = target("orders-production", "jdbc:postgresql://orders-db.shop.svc.cluster.local/orders", 1);
    production.getSpec().production = true;
    MigrationTarget staging = target("orders-staging", "jdbc:postgresql://orders-db.shop/orders", 1);
    List<MigrationTarget> all = List.of(staging, production);
    // a bare Service name in an inline URL is in the request's namespace, where its Jobs run
    assertThat(TargetAddresses.productionAt("jdbc:postgresql://ORDERS-DB:5432/orders", "shop", all, RUNS))
        .containsSame(production);
    assertThat(TargetAddresses.productionAt("jdbc:postgresql://orders-db/orders", "billing", all, RUNS)).isEmpty();
    assertThat(TargetAddresses.productionAt("jdbc:postgresql://orders-db.shop/orders", "shop", List.of(staging), RUNS))
        .as("a target that is not production refuses nothing").isEmpty();
  }
}
