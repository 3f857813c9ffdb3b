package io.migrationgate.localcluster.faults;

import io.migrationgate.localcluster.faults.FaultPlan.PlannedRequest;
import io.migrationgate.localcluster.Targets;
import java.util.List;

/**
 * What the requester applies for a planned request, on the target registered for its database. Each request migrates its own schema, so
 * requests sharing a database keep their own Flyway history while sharing the database's queue.
 */
final class RequestYaml {

  private RequestYaml() {}

  /** The scripts ConfigMap and the MigrationRequest; V1 sleeps first, to keep the run's pod alive a while. */
  static List<String> request(PlannedRequest r, String url) {
    String schema = r.schema();
    String scripts = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %1$s-scripts, namespace: %2$s}
        data:
          V1__%1$s_create_orders.sql: |
            select pg_sleep(%3$d);
            create table orders (id bigint primary key);
          V2__%1$s_add_status.sql: |
            alter table orders add column status text not null default 'new';
        """.formatted(r.name(), r.namespace(), r.sleepSeconds());
    String request = """
        apiVersion: migrationgate.io/v1alpha1
        kind: MigrationRequest
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          workOrder: WO-FI-%1$s
          reason: fault injection
          migrationTargetName: %3$s
          migrations: {configMap: {name: %1$s-scripts}}
          flyway: {schemas: [%4$s]}
          timeout: 5m
          verify:
          - name: status column exists
            sql: select count(*) from information_schema.columns where table_schema = '%4$s' and table_name = 'orders' and column_name = 'status'
            expect: "1"
        """.formatted(r.name(), r.namespace(), Targets.nameOf(url), schema);
    return List.of(scripts, request);
  }
}
