package io.migrationgate.localcluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Applies the repository's examples/ to the local cluster the way a team would: the admin creates
 * the namespaces, and as the platform engineer the targets and their Secret; the requester applies
 * the rest with kubectl, one file at a time, as the chart's admission policies judge each (they
 * refuse the production requests). There is no cluster DNS
 * here, so the one change made to the YAML is the database host: {@code
 * jdbc:postgresql://<host:port>/<db>} points at the embedded PostgreSQL, where the Secret's user and
 * each database are created first. Where the cluster does not stamp {@code
 * migrationgate.io/requested-by}, the requester declares it with {@code kubectl annotate --local},
 * as examples/README.md says.
 */
public final class Examples {

  private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://[^/\\s\"']+/([A-Za-z_][A-Za-z0-9_]*)");

  /** What was applied: the namespaces, every file, and the files the API server refused with its words. */
  public record Applied(List<String> namespaces, List<Path> files, Map<Path, String> refused) {}

  private Examples() {}

  public static Applied apply(LocalCluster cluster, Path dir) throws IOException, SQLException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
    }
    List<String> namespaces = new ArrayList<>();
    Set<String> databases = new LinkedHashSet<>();
    Map<Path, String> rest = new LinkedHashMap<>();
    for (Path file : files) {
      String yaml = Files.readString(file, StandardCharsets.UTF_8);
      HasMetadata object = Serialization.unmarshal(yaml);
      if (object instanceof Namespace namespace) {
        Kubectl.Result created = cluster.kubectl(LocalUser.ADMIN).runWithInput(yaml, "apply", "-f", "-");
        require(created);
        Rbac.grant(cluster.controlPlane().admin(), namespace.getMetadata().getName());
        namespaces.add(namespace.getMetadata().getName());
        continue;
      }
      if (object instanceof Secret secret) {
        createLogin(cluster.postgres(), secret);
      }
      Matcher urls = JDBC.matcher(yaml);
      while (urls.find()) {
        databases.add(urls.group(1));
      }
      rest.put(file, JDBC.matcher(yaml).replaceAll(m -> Matcher.quoteReplacement(cluster.postgres().url(m.group(1)))));
    }
    for (String database : databases) {
      cluster.postgres().createDatabaseIfMissing(database);
    }
    Map<Path, String> refused = new LinkedHashMap<>();
    Kubectl requester = cluster.kubectl(LocalUser.REQUESTER);
    Kubectl platform = cluster.kubectl(LocalUser.ADMIN);
    String declaring = declaring(cluster, requester);
    // the platform's objects first: the targets and their Secret, which requesters may not touch
    List<Path> order = rest.keySet().stream().sorted(Comparator.comparing(f -> !isPlatforms(rest.get(f)))).toList();
    for (Path file : order) {
      String yaml = rest.get(file);
      Kubectl.Result applied;
      if (isPlatforms(yaml)) {
        applied = platform.runWithInput(yaml, "apply", "-f", "-");
      } else {
        String declared = yaml;
        if (declaring != null) {
          Kubectl.Result annotated = requester.runWithInput(yaml, "annotate", "--local", "-f", "-", "-o", "yaml",
              RequestedBy.ANNOTATION + "=" + declaring);
          require(annotated);
          declared = annotated.out();
        }
        applied = requester.runWithInput(declared, "apply", "-f", "-");
      }
      if (!applied.ok()) {
        refused.put(file, applied.err().strip());
      }
    }
    return new Applied(namespaces, files, refused);
  }

  /** A MigrationTarget, or anything in the operator's namespace: a platform engineer's to apply. */
  private static boolean isPlatforms(String yaml) {
    HasMetadata object = Serialization.unmarshal(yaml);
    return "MigrationTarget".equals(object.getKind())
        || ChartRelease.NAMESPACE.equals(object.getMetadata().getNamespace());
  }

  /**
   * The requester's username where the cluster does not stamp requested-by, as examples/README.md
   * has creators there find it ({@code kubectl auth whoami}) and declare it; null where it stamps.
   */
  private static String declaring(LocalCluster cluster, Kubectl requester) {
    if (RequestedBy.on(cluster.controlPlane().admin()) == RequestedBy.STAMPED) {
      return null;
    }
    Kubectl.Result whoami = requester.run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");
    require(whoami);
    return whoami.out().strip();
  }

  private static void createLogin(LocalPostgres postgres, Secret secret) throws SQLException {
    Map<String, String> values = SecretValues.of(secret);
    String user = values.get("username");
    String password = values.get("password");
    if (user != null && password != null) {
      postgres.createLogin(user, password);
    }
  }

  private static void require(Kubectl.Result result) {
    if (!result.ok()) {
      throw new IllegalStateException("applying the examples failed: " + result);
    }
  }
}
