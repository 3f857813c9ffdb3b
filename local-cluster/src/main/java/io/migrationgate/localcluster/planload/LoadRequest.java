package io.migrationgate.localcluster.planload;

/**
 * A request of the load and where it goes; each migrates a schema of its own, so none makes
 * another's plan stale.
 */
record LoadRequest(int number, String namespace, String name, String database, String schema) {

  String key() {
    return RequestStates.key(namespace, name);
  }
}
