package io.migrationgate.localcluster;

import java.util.Map;
import java.util.stream.Collectors;

/** The YAML a requester writes: credentials Secret, scripts ConfigMap and the MigrationRequest. */
public final class Yaml {

  private Yaml() {}

  public static String secret(String namespace, String name, String username, String password) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, namespace: %s}
        stringData:
          username: %s
          password: "%s"
        """.formatted(name, namespace, username, password);
  }

  public static String scripts(String namespace, String name, Map<String, String> scripts) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s, namespace: %s}
        data:
        %s
        """.formatted(name, namespace, scripts.entrySet().stream()
            .map(e -> "  " + e.getKey() + ": |\n" + e.getValue().lines().map(l -> "    " + l)
                .collect(Collectors.joining("\n")))
            .collect(Collectors.joining("\n")));
  }

  /** A MigrationRequest with {@code spec} given as YAML lines indented by two spaces. */
  /**
   * A MigrationTarget for {@code url} whose Secret {@code secret} is in the operator's namespace,
   * admitting every namespace ({@code namespaceSelector: {}}), as a platform engineer registers one.
   */
  public static String target(String name, String url, String secret, boolean production) {
    return """
        apiVersion: migrationgate.io/v1alpha1
        kind: MigrationTarget
        metadata: {name: %s}
        spec:
          database: {url: "%s", credentialsSecret: %s}
          production: %s
          namespaceSelector: {}
        """.formatted(name, url, secret, production);
  }

  public static String request(String namespace, String name, String spec) {
    return request(namespace, name, Map.of(), spec);
  }

  /** The same with {@code annotations}. */
  public static String request(String namespace, String name, Map<String, String> annotations, String spec) {
    String annotated = annotations.isEmpty() ? "" : annotations.entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ", ", annotations: {", "}"));
    return """
        apiVersion: migrationgate.io/v1alpha1
        kind: MigrationRequest
        metadata: {name: %s, namespace: %s%s}
        spec:
        %s
        """.formatted(name, namespace, annotated, spec.stripTrailing().lines().map(l -> "  " + l)
            .collect(Collectors.joining("\n")));
  }
}
