package io.migrationgate.localcluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the e2e tests submit: one migration, "orders" (V1 creates the table, V2 adds its status
 * column), in the variants the tests need, and the request's spec around it. A request {@code name}
 * takes its scripts from ConfigMap {@code <name>-scripts} and its database from the MigrationTarget
 * registered for its URL ({@link GuardedCluster#submit}).
 */
final class Fixtures {

  static final String V1 = "V1__create_orders.sql";
  static final String V2 = "V2__add_status.sql";
  static final String V3 = "V3__add_total.sql";

  private Fixtures() {}

  static Map<String, String> orders() {
    return ordersUpTo(2);
  }

  /** V1 sleeps {@code seconds} first: the run's pod stays up long enough to act on it meanwhile. */
  static Map<String, String> slowOrders(int seconds) {
    Map<String, String> scripts = orders();
    scripts.put(V1, "select pg_sleep(" + seconds + ");\n" + scripts.get(V1));
    return scripts;
  }

  /** V1 applies, V2 fails. */
  static Map<String, String> ordersFailingAtV2() {
    Map<String, String> scripts = orders();
    scripts.put(V2, "alter table no_such_table add column status text;\n");
    return scripts;
  }

  /** V1 up to V{@code version}, at most V3, which adds a total column. */
  static Map<String, String> ordersUpTo(int version) {
    Map<String, String> scripts = new LinkedHashMap<>();
    scripts.put(V1, "create table orders (id bigint primary key);\n");
    if (version >= 2) {
      scripts.put(V2, "alter table orders add column status text not null default 'new';\n");
    }
    if (version >= 3) {
      scripts.put(V3, "alter table orders add column total numeric(10,2);\n");
    }
    return scripts;
  }

  /** The usual spec, its run verified by the status column V2 adds. */
  static String spec(String name, String url) {
    return unverifiedSpec(name, url) + """
        verify:
        - name: status column exists
          sql: select count(*) from information_schema.columns where table_name = 'orders' and column_name = 'status'
          expect: "1"
        rollback:
          plan: alter table orders drop column status
        """;
  }

  /** The usual spec without the verify query, for scripts that stop before V2. */
  static String unverifiedSpec(String name, String url) {
    return specWith(name, url, "configMap: {name: " + name + "-scripts}");
  }

  /** A spec whose scripts come from {@code imageRef} (pinned by digest). */
  static String imageSpec(String name, String url, String imageRef) {
    return specWith(name, url, "image: {ref: \"" + imageRef + "\"}");
  }

  private static String specWith(String name, String url, String migrations) {
    return """
        workOrder: WO-1234
        reason: add orders.status
        migrationTargetName: %s
        migrations:
          %s
        target: latest
        timeout: 5m
        """.formatted(Targets.nameOf(url), migrations);
  }
}
