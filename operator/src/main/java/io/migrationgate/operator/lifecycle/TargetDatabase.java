package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.PlannedDatabase;
import io.migrationgate.contract.JdbcUrl;

/** What the approver is shown about where the scripts run, read from a URL the spec check passed. */
final class TargetDatabase {

  private TargetDatabase() {}

  static PlannedDatabase of(String url) {
    JdbcUrl parsed = JdbcUrl.parse(url);
    PlannedDatabase planned = new PlannedDatabase();
    planned.driver = parsed.driver();
    for (JdbcUrl.Host host : parsed.hosts()) {
      PlannedDatabase.Host shown = new PlannedDatabase.Host();
      shown.host = host.name();
      shown.port = host.port();
      planned.hosts.add(shown);
    }
    planned.database = parsed.database();
    // A printer column shows one JSON path, so the one-line form is stored rather than composed.
    planned.address = hosts(planned) + "/" + parsed.database();
    planned.parameters.putAll(parsed.parameters());
    return planned;
  }

  /** {@code host:port[,host:port]}, in the URL's order. */
  static String hosts(PlannedDatabase database) {
    return String.join(",", database.hosts.stream().map(h -> h.host + ":" + h.port).toList());
  }
}
