package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.PlannedScript;
import io.migrationgate.contract.ScriptsDigest;
import io.migrationgate.contract.Versions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Which keys of a ConfigMap are Flyway scripts, in the order Flyway runs them, and the digest of
 * them all (the one the approver pins and the runner checks). Refuses names Flyway would ignore or
 * misread, because a script that silently does not run is worse than a request that does not start.
 */
public final class FlywayScripts {

  private static final Pattern VERSIONED =
      Pattern.compile("^V(?<version>" + Versions.VERSION + ")__(?<description>.+)\\.sql$");
  private static final Pattern REPEATABLE = Pattern.compile("^R__(?<description>.+)\\.sql$");
  /**
   * Every script is listed in status.plan.scripts (name, version, description, digest: at most
   * about 600 bytes each), and a request's status must fit in one object of etcd's 1.5 MiB with the
   * rest of the record; many thousands of tiny scripts would make every status write fail.
   */
  static final int MAX_SCRIPTS = 1000;

  /** The scripts as listed for the plan, or why they cannot be. */
  public sealed interface Listing {}

  public record Valid(String digest, List<PlannedScript> scripts) implements Listing {}

  public record Invalid(String message) implements Listing {}

  private FlywayScripts() {}

  public static Listing read(String configMapName, Map<String, String> data, Map<String, String> binaryData) {
    if (binaryData != null && !binaryData.isEmpty()) {
      return new Invalid("ConfigMap " + configMapName + " has binaryData keys "
          + new TreeMap<>(binaryData).keySet() + "; Flyway scripts must be text under data");
    }
    if (data == null || data.isEmpty()) {
      return new Invalid("ConfigMap " + configMapName + " has no scripts; add keys such as V1__init.sql");
    }
    if (data.size() > MAX_SCRIPTS) {
      return new Invalid("ConfigMap " + configMapName + " has " + data.size() + " keys; a request takes at most "
          + MAX_SCRIPTS + " scripts, each listed in its status; squash older scripts into one baseline script"
          + " to bring the number down");
    }
    List<String> badNames = new ArrayList<>();
    Map<MigrationVersion, List<String>> byVersion = new TreeMap<>();
    List<PlannedScript> scripts = new ArrayList<>();
    for (Map.Entry<String, String> entry : new TreeMap<>(data).entrySet()) {
      String name = entry.getKey();
      String sha256 = ScriptsDigest.ofContent(entry.getValue());
      Matcher versioned = VERSIONED.matcher(name);
      Matcher repeatable = REPEATABLE.matcher(name);
      if (versioned.matches()) {
        String version = versioned.group("version").replace('_', '.');
        byVersion.computeIfAbsent(Versions.of(version), v -> new ArrayList<>()).add(name);
        scripts.add(new PlannedScript(name, version, description(versioned.group("description")), sha256));
      } else if (repeatable.matches()) {
        scripts.add(new PlannedScript(name, null, description(repeatable.group("description")), sha256));
      } else {
        badNames.add(name);
      }
    }
    if (!badNames.isEmpty()) {
      return new Invalid("ConfigMap " + configMapName + ": " + String.join(", ", badNames)
          + " not a Flyway script name; use V<version>__<description>.sql or R__<description>.sql");
    }
    String duplicates = byVersion.values().stream()
        .filter(names -> names.size() > 1)
        .map(names -> String.join(" and ", names))
        .collect(Collectors.joining("; "));
    if (!duplicates.isEmpty()) {
      return new Invalid("ConfigMap " + configMapName + ": " + duplicates
          + " share a version; each versioned script needs its own");
    }
    scripts.sort(FlywayScripts::executionOrder);
    return new Valid(ScriptsDigest.of(data), List.copyOf(scripts));
  }

  private static String description(String raw) {
    return raw.replace('_', ' ');
  }

  /** Flyway's order: versioned scripts by version, then repeatable ones by description. */
  private static int executionOrder(PlannedScript a, PlannedScript b) {
    if (a.version != null && b.version != null) {
      return Versions.of(a.version).compareTo(Versions.of(b.version));
    }
    if (a.version != null) return -1;
    if (b.version != null) return 1;
    return a.description.compareTo(b.description);
  }
}
