package io.migrationgate.localcluster.bench;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the API server itself counted ({@code apiserver_request_total} on its /metrics), by
 * resource and verb: "leases PATCH". Two readings subtracted give what was written in between,
 * by every client, which is why the benchmark also measures a window with the operator stopped.
 */
public record ApiWrites(Map<String, Long> byResourceAndVerb) {

  private static final Set<String> WRITE_VERBS = Set.of("POST", "PUT", "PATCH", "DELETE", "APPLY");
  private static final Pattern SAMPLE = Pattern.compile("^apiserver_request_total\\{([^}]*)} (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  /** Parses the Prometheus text the API server serves at /metrics. */
  static ApiWrites parse(String metrics) {
    Map<String, Long> writes = new TreeMap<>();
    for (String line : metrics.split("\n")) {
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches()) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      Matcher label = LABEL.matcher(sample.group(1));
      while (label.find()) {
        labels.put(label.group(1), label.group(2));
      }
      String verb = labels.getOrDefault("verb", "");
      if (WRITE_VERBS.contains(verb)) {
        String subresource = labels.getOrDefault("subresource", "");
        String resource = labels.getOrDefault("resource", "") + (subresource.isEmpty() ? "" : "/" + subresource);
        writes.merge(resource + " " + verb, (long) Double.parseDouble(sample.group(2)), Long::sum);
      }
    }
    if (!metrics.contains("apiserver_request_total")) {
      throw new IllegalStateException("the API server's /metrics has no apiserver_request_total");
    }
    return new ApiWrites(writes);
  }

  /** What was written after {@code earlier} and up to this reading; zero rows left out. */
  ApiWrites since(ApiWrites earlier) {
    Map<String, Long> delta = new TreeMap<>();
    byResourceAndVerb.forEach((key, count) -> {
      long d = count - earlier.byResourceAndVerb.getOrDefault(key, 0L);
      if (d != 0) {
        delta.put(key, d);
      }
    });
    return new ApiWrites(delta);
  }

  public long total() {
    return byResourceAndVerb.values().stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public String toString() {
    return byResourceAndVerb.isEmpty() ? "none" : byResourceAndVerb.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey()).reduce((a, b) -> a + ", " + b).orElse("");
  }
}
