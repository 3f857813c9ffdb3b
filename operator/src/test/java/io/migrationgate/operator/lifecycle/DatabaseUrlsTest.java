package io.migrationgate.operator.lifecycle;

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

  @Test
  void anIpv6LiteralIsOneHostWhateverItsSpelling() {
    String loopback = DatabaseUrls.normalize("jdbc:postgresql://[::1]:5432/orders");
    assertThat(loopback).isEqualTo("postgresql://[0:0:0:0:0:0:0:1]:5432/orders");
    assertThat(DatabaseUrls.normalize("jdbc:postgresql://[0:0:0:0:0:0:0:1]/orders")).isEqualTo(loopback);
    assertThat(DatabaseUrls.normalize("jdbc:postgresql://[::2]:5432/orders")).isNotEqualTo(loopback);
    assertThat(DatabaseUrls.normalize("jdbc:mariadb://[::1]/shop"))
        .isEqualTo(DatabaseUrls.normalize("jdbc:mysql://[0:0::1]:3306/shop"))
        .isEqualTo("mysql://[0:0:0:0:0:0:0:1]:3306/shop");
  }

  @Test
  void severalHostsNameTheSameDatabaseInAnyOrder() {
    String cluster = DatabaseUrls.normalize("jdbc:postgresql://pg-a:5432,pg-b/orders?targetServerType=primary");
    assertThat(cluster).isEqualTo("postgresql://pg-a:5432,pg-b:5432/orders");
    assertThat(DatabaseUrls.normalize("jdbc:postgresql://PG-B,pg-a:5432/orders")).isEqualTo(cluster);
    assertThat(DatabaseUrls.normalize("jdbc:postgresql://pg-a/orders")).isNotEqualTo(cluster);
    assertThat(DatabaseUrls.normalize("jdbc:mariadb://db-a,db-b:3307/shop")).isEqualTo("mysql://db-a:3306,db-b:3307/shop");
  }

  @Test
  void connectorJsAddressFormNamesTheHostItConnectsTo() {
    assertThat(DatabaseUrls.normalize("jdbc:mariadb://address=(host=db)(port=3306)/shop"))
        .isEqualTo(DatabaseUrls.normalize("jdbc:mysql://db/shop"));
    assertThat(DatabaseUrls.normalize("jdbc:mariadb://address=(host=DB)(port=3307)(type=primary),address=(host=replica)/shop"))
        .isEqualTo("mysql://db:3307,replica:3306/shop");
  }

  @Test
  void whatTheDriverReadsDecidesNotTheLiteralText() {
    // pgJDBC decodes the database name and lets PGHOST override the host; the spec check refuses
    // both, but a key that believed the text would put this request in the wrong line.
    assertThat(DatabaseUrls.normalize("jdbc:postgresql://db/or%64ers")).isEqualTo(DatabaseUrls.normalize("jdbc:postgresql://db/orders"));
    assertThat(DatabaseUrls.normalize("jdbc:postgresql://decoy/orders?PGHOST=db"))
        .isEqualTo(DatabaseUrls.normalize("jdbc:postgresql://db/orders"));
  }

  @Test
  void aUrlNoDriverReadsIsItsOwnName() {
    assertThat(DatabaseUrls.normalize(" jdbc:oracle:thin:@db:1521/orders ")).isEqualTo("jdbc:oracle:thin:@db:1521/orders");
  }
}
