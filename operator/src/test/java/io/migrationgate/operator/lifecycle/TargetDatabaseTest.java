package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.api.v1alpha1.PlannedDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetDatabaseTest {

  @Test
  void showsEveryHostWithItsPortTheDatabaseAndTheParameters() {
    PlannedDatabase planned =
        TargetDatabase.of("jdbc:mariadb://shop-a.db,shop-b.db:3307/shop?sslMode=verify-full&socketTimeout=60000");

    assertThat(planned.driver).isEqualTo("mariadb");
    assertThat(planned.hosts).extracting(h -> h.host + ":" + h.port).containsExactly("shop-a.db:3306", "shop-b.db:3307");
    assertThat(planned.database).isEqualTo("shop");
    assertThat(planned.address).as("the -o wide column: no parameters").isEqualTo("shop-a.db:3306,shop-b.db:3307/shop");
    assertThat(planned.parameters).containsExactly(Map.entry("sslMode", "verify-full"), Map.entry("socketTimeout", "60000"));
  }
}
