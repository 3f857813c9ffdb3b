package io.migrationgate.operator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseUrlsTest {

  @Test
  void spellingsOfOneDatabaseNormalizeAlike() {
    String canonical = DatabaseUrls.normalize("jdbc:postgresql://orders-db:5432/orders");
    assertThat(DatabaseUrls.normalize("jdbc:postgresql://ORDERS-DB/orders?sslmode=require")).isEqualTo(canonical);
    assertThat(DatabaseUrls.normalize("JDBC:POSTGRESQL://orders-db:5432/orders/")).isEqualTo(canonical);
    assertThat(DatabaseUrls.normalize("jdbc:mariadb://db/shop")).isEqualTo(DatabaseUrls.normalize("jdbc:mysql://db:3306/shop"));
  }

  @Test
  void differentDatabasesStayDifferent() {
    String orders = DatabaseUrls.normalize("jdbc:postgresql://db:5432/orders");
    assertThat(DatabaseUrls.normalize("jdbc:postgresql://db:5433/orders")).isNotEqualTo(orders);
    assertThat(DatabaseUrls.normalize("jdbc:postgresql://db:5432/billing")).isNotEqualTo(orders);
    assertThat(DatabaseUrls.normalize("jdbc:postgresql://other:5432/orders")).isNotEqualTo(orders);
  }
}
