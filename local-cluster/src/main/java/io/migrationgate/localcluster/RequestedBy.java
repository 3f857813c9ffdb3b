package io.migrationgate.localcluster;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * How a cluster with the chart records who created a MigrationRequest, decided as helm decides it:
 * the API server stamps {@code migrationgate.io/requested-by} where it serves {@code
 * admissionregistration.k8s.io/v1} MutatingAdmissionPolicy (Kubernetes 1.36+); elsewhere the
 * creator declares it and the approvals policy checks it is their own username.
 */
public enum RequestedBy {
  STAMPED,
  DECLARED;

  public static final String ANNOTATION = "migrationgate.io/requested-by";
  static final String GROUP_VERSION = "admissionregistration.k8s.io/v1";

  /** Asks the API server's discovery, as helm's {@code .Capabilities.APIVersions} does. */
  public static RequestedBy on(KubernetesClient admin) {
    APIResourceList served = admin.getApiResources(GROUP_VERSION);
    boolean stamps = served != null
        && served.getResources().stream().anyMatch(r -> "MutatingAdmissionPolicy".equals(r.getKind()));
    return stamps ? STAMPED : DECLARED;
  }

  /**
   * The MigrationRequest {@code creator} applies, written by {@link Yaml#request}: on a cluster that
   * stamps, as it is; on one that does not, with the creator's username declared, as the docs tell
   * creators to.
   */
  public String request(String namespace, String name, String creator, String spec) {
    return Yaml.request(namespace, name, this == STAMPED ? Map.of() : Map.of(ANNOTATION, creator), spec);
  }
}
