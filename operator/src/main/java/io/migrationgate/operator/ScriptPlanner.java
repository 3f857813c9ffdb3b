package io.migrationgate.operator;

import io.migrationgate.api.v1alpha1.PlannedScript;
import io.migrationgate.contract.ScriptsDigest;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the scripts of a ConfigMap into a plan: the digest the approver pins and the runner checks,
 * and the Flyway script list people review. Refuses names Flyway would ignore or misread, because a
 * script that silently does not run is worse than a request that does not start.
 */
public final class ScriptPlanner {

  private static final Pattern VERSIONED = Pattern.compile("^V([0-9]+(?:[._][0-9]+)*)__(.+)\\.sql$");
  private static final Pattern REPEATABLE = Pattern.compile("^R__(.+)\\.sql$");

  public sealed interface Plan {}

  public record Valid(String digest, List<PlannedScript> scripts) implements Plan {}

  public record Invalid(String message) implements Plan {}

  private ScriptPlanner() {}

  /** The plan digest of an image source: the digest its reference is pinned to (the schema requires one). */
  public static String imageDigest(String ref) {
    return ref.substring(ref.indexOf('@') + 1);
  }

  public static Plan plan(String configMapName, Map<String, String> data, Map<String, String> binaryData) {
    if (binaryData != null && !binaryData.isEmpty()) {
      return new Invalid("ConfigMap " + configMapName + " has binaryData keys "
          + new TreeMap<>(binaryData).keySet() + "; Flyway scripts must be text under data");
    }
    if (data == null || data.isEmpty()) {
      return new Invalid("ConfigMap " + configMapName + " has no scripts; add keys such as V1__init.sql");
    }
    List<String> badNames = new ArrayList<>();
    Map<BigIntegerVersion, List<String>> byVersion = new HashMap<>();
    List<PlannedScript> scripts = new ArrayList<>();
    for (Map.Entry<String, String> entry : new TreeMap<>(data).entrySet()) {
      String name = entry.getKey();
      String sha256 = ScriptsDigest.ofContent(entry.getValue());
      Matcher versioned = VERSIONED.matcher(name);
      Matcher repeatable = REPEATABLE.matcher(name);
      if (versioned.matches()) {
        String version = versioned.group(1).replace('_', '.');
        byVersion.computeIfAbsent(BigIntegerVersion.of(version), v -> new ArrayList<>()).add(name);
        scripts.add(new PlannedScript(name, version, description(versioned.group(2)), sha256));
      } else if (repeatable.matches()) {
        scripts.add(new PlannedScript(name, null, description(repeatable.group(1)), sha256));
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
    scripts.sort(ScriptPlanner::executionOrder);
    return new Valid(ScriptsDigest.of(data), List.copyOf(scripts));
  }

  private static String description(String raw) {
    return raw.replace('_', ' ');
  }

  /** Flyway's order: versioned scripts by version, then repeatable ones by description. */
  private static int executionOrder(PlannedScript a, PlannedScript b) {
    if (a.version != null && b.version != null) {
      return BigIntegerVersion.of(a.version).compareTo(BigIntegerVersion.of(b.version));
    }
    if (a.version != null) return -1;
    if (b.version != null) return 1;
    return a.description.compareTo(b.description);
  }

  /** A dotted version compared part by part as numbers, so 1.10 sorts after 1.9 and 1.0 equals 1. */
  private record BigIntegerVersion(List<BigInteger> parts) implements Comparable<BigIntegerVersion> {
    static BigIntegerVersion of(String dotted) {
      List<BigInteger> parts = new ArrayList<>();
      for (String part : dotted.split("\\.")) parts.add(new BigInteger(part));
      while (parts.size() > 1 && parts.get(parts.size() - 1).signum() == 0) parts.remove(parts.size() - 1);
      return new BigIntegerVersion(List.copyOf(parts));
    }

    @Override
    public int compareTo(BigIntegerVersion other) {
      for (int i = 0; i < Math.max(parts.size(), other.parts.size()); i++) {
        BigInteger mine = i < parts.size() ? parts.get(i) : BigInteger.ZERO;
        BigInteger theirs = i < other.parts.size() ? other.parts.get(i) : BigInteger.ZERO;
        int c = mine.compareTo(theirs);
        if (c != 0) return c;
      }
      return 0;
    }
  }
}
