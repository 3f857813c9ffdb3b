package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import io.migrationgate.api.v1alpha1.MigrationTargetStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Two targets that name one database are the platform's mistake: the queue keeps one run per
 * target, so two runs could then hit that database at once. This finds them by address, as far as
 * can be known without DNS: {@link DatabaseUrls} (case, default port, host order, parameters), and
 * a Service's name in each of its forms, {@code db}, {@code db.ns}, {@code db.ns.svc} and
 * {@code db.ns.svc.cluster.local} (a bare name is in the runs namespace, where the Jobs resolve
 * it). Not caught: a ClusterIP or pod IP against the Service's name, another cluster domain than
 * cluster.local, two Services or an ExternalName in front of one database, and DNS aliases.
 */
public final class TargetAddresses {

  public static final String ADDRESS_SHARED = "AddressShared";
  public static final String ADDRESS_UNIQUE = "AddressUnique";
  private static final String CLUSTER_SUFFIX = ".svc.cluster.local";
  private static final String SVC_SUFFIX = ".svc";

  private TargetAddresses() {}

  /** The database {@code target} names, in one spelling; {@code runsNamespace} resolves a bare Service name. */
  public static String address(MigrationTarget target, String runsNamespace) {
    return address(target.getSpec().database.url, runsNamespace);
  }

  /** The database a JDBC URL names, in one spelling; {@code namespace} resolves a bare Service name. */
  public static String address(String url, String namespace) {
    String key = DatabaseUrls.normalize(url);
    int hostsAt = key.indexOf("://");
    if (hostsAt < 0) {
      return key;
    }
    int dbAt = key.indexOf('/', hostsAt + 3);
    String hosts = dbAt < 0 ? key.substring(hostsAt + 3) : key.substring(hostsAt + 3, dbAt);
    TreeSet<String> canonical = new TreeSet<>();
    for (String hostPort : hosts.split(",")) {
      int colon = hostPort.lastIndexOf(':');
      String host = colon < 0 || hostPort.endsWith("]") ? hostPort : hostPort.substring(0, colon);
      String port = colon < 0 || hostPort.endsWith("]") ? "" : hostPort.substring(colon);
      canonical.add(serviceName(host, namespace) + port);
    }
    return key.substring(0, hostsAt + 3) + String.join(",", canonical) + (dbAt < 0 ? "" : key.substring(dbAt));
  }

  /** {@code db}, {@code db.ns}, {@code db.ns.svc}, {@code db.ns.svc.cluster.local}: all {@code db.ns}. */
  static String serviceName(String host, String namespace) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.startsWith("[") || name.matches("[0-9.]+")) {
      return name;
    }
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.endsWith(CLUSTER_SUFFIX)) {
      name = name.substring(0, name.length() - CLUSTER_SUFFIX.length());
    } else if (name.endsWith(SVC_SUFFIX)) {
      name = name.substring(0, name.length() - SVC_SUFFIX.length());
    }
    return name.contains(".") || namespace == null ? name : name + "." + namespace;
  }

  /**
   * A production target at the address of an inline database's {@code url} (a bare Service name is in
   * the request's {@code namespace}, where an inline database's Jobs run), if any.
   */
  public static Optional<MigrationTarget> productionAt(String url, String namespace, Collection<MigrationTarget> all,
      String runsNamespace) {
    String mine = address(url, namespace);
    return all.stream()
        .filter(t -> Boolean.TRUE.equals(t.getSpec().production) && t.getSpec().database != null
            && t.getSpec().database.url != null)
        .filter(t -> address(t, runsNamespace).equals(mine))
        .min(Comparator.comparing(t -> t.getMetadata().getName()));
  }

  /** The names of the other targets in {@code all} that name {@code target}'s database, sorted. */
  public static List<String> sharing(MigrationTarget target, Collection<MigrationTarget> all, String runsNamespace) {
    String mine = address(target, runsNamespace);
    return all.stream()
        .filter(other -> !other.getMetadata().getName().equals(target.getMetadata().getName()))
        .filter(other -> other.getSpec() != null && other.getSpec().database != null
            && other.getSpec().database.url != null)
        .filter(other -> address(other, runsNamespace).equals(mine))
        .map(other -> other.getMetadata().getName())
        .sorted()
        .toList();
  }

  /** The DuplicateAddress condition for {@code sharing} (the other targets' names). */
  public static Condition condition(List<String> sharing) {
    return new ConditionBuilder().withType(MigrationTargetStatus.DUPLICATE_ADDRESS)
        .withStatus(sharing.isEmpty() ? "False" : "True")
        .withReason(sharing.isEmpty() ? ADDRESS_UNIQUE : ADDRESS_SHARED)
        .withMessage(sharing.isEmpty() ? "no other MigrationTarget names this database"
            : "MigrationTarget(s) " + String.join(", ", sharing) + " name the same database: runs through them are "
                + "not queued behind each other and may hit it at once; keep one target per database")
        .build();
  }

  /** {@code status}'s conditions with DuplicateAddress set to {@code duplicate}, times carried forward. */
  public static List<Condition> withDuplicate(MigrationTargetStatus status, Condition duplicate, Long generation,
      String now) {
    List<Condition> previous = status == null ? List.of() : status.conditions;
    List<Condition> desired = new ArrayList<>(previous);
    desired.removeIf(c -> MigrationTargetStatus.DUPLICATE_ADDRESS.equals(c.getType()));
    desired.add(duplicate);
    List<Condition> out = new ArrayList<>(desired.subList(0, desired.size() - 1));
    out.addAll(TargetChecks.carried(List.of(duplicate), previous, generation, now));
    return out;
  }
}
