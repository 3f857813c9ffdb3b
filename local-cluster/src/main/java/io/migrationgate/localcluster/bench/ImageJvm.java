package io.migrationgate.localcluster.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM the operator gets in a cluster, read from the repository so the benchmark follows every
 * change to it: the flags between {@code java} and {@code -jar} of the Dockerfile's ENTRYPOINT, and
 * the chart's memory limit ({@code resources.limits.memory} in values.yaml) as {@code -XX:MaxRAM},
 * which is what the JVM would read from the container's cgroup, so MaxRAMPercentage and the
 * collector choice come out as in the pod.
 */
public record ImageJvm(List<String> entrypointFlags, long memoryLimitBytes, String memoryLimit) {

  /** Reads {@code Dockerfile} and {@code helm/migration-gate/values.yaml} of the checkout {@code repo}. */
  public static ImageJvm of(Path repo) {
    Path dockerfile = repo.resolve("Dockerfile");
    Path values = repo.resolve("helm/migration-gate/values.yaml");
    String memory = memoryLimit(read(values), values);
    return new ImageJvm(entrypointFlags(read(dockerfile), dockerfile), bytes(memory, values), memory);
  }

  /**
   * A JVM inside a limit below this sees no "server class machine" and picks the Serial collector
   * when none is named; -XX:MaxRAM sizes the heap but does not change that choice (the host's
   * memory still counts), so the benchmark names the collector the pod would get.
   */
  static final long SERVER_CLASS_MEMORY = 1792L * 1024 * 1024;

  /** The flags to start a JVM with: the image's, then the limit, then the pod's collector if the image names none. */
  public List<String> flags() {
    List<String> flags = new ArrayList<>(entrypointFlags);
    flags.add("-XX:MaxRAM=" + memoryLimitBytes);
    boolean collectorNamed = entrypointFlags.stream().anyMatch(f -> f.matches("-XX:\\+Use\\w+GC"));
    if (!collectorNamed && memoryLimitBytes < SERVER_CLASS_MEMORY) {
      flags.add("-XX:+UseSerialGC");
    }
    return flags;
  }

  /** The items between "java" and "-jar" of the exec-form ENTRYPOINT. */
  static List<String> entrypointFlags(String dockerfile, Path source) {
    String entrypoint = dockerfile.lines().map(String::strip).filter(l -> l.startsWith("ENTRYPOINT"))
        .reduce((first, last) -> last)
        .orElseThrow(() -> new IllegalArgumentException(source + " has no ENTRYPOINT line; the benchmark reads the"
            + " operator's JVM flags from it"));
    List<String> items;
    try {
      items = new ObjectMapper().readValue(entrypoint.substring("ENTRYPOINT".length()).strip(),
          new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + ": the ENTRYPOINT is not in exec form (a JSON array such as"
          + " [\"java\", \"-XX:...\", \"-jar\", \"/app/migration-gate.jar\"]): " + entrypoint, e);
    }
    int java = items.indexOf("java");
    int jar = items.indexOf("-jar");
    if (java < 0 || jar < java) {
      throw new IllegalArgumentException(source + ": the ENTRYPOINT must run \"java\" ... \"-jar\" so the benchmark"
          + " can tell the JVM flags; it is " + items);
    }
    return List.copyOf(items.subList(java + 1, jar));
  }

  static String memoryLimit(String valuesYaml, Path source) {
    JsonNode limit;
    try {
      limit = new ObjectMapper(new YAMLFactory()).readTree(valuesYaml).at("/resources/limits/memory");
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + " is not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (!limit.isTextual() && !limit.isNumber()) {
      throw new IllegalArgumentException(source + " sets no resources.limits.memory (e.g. 512Mi); the benchmark"
          + " runs the operator with the chart's memory limit");
    }
    return limit.asText();
  }

  private static long bytes(String quantity, Path source) {
    try {
      return Quantity.getAmountInBytes(new Quantity(quantity)).longValueExact();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(source + ": resources.limits.memory \"" + quantity
          + "\" is not a Kubernetes quantity such as 512Mi", e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " (is --repo a Migration Gate checkout?)", e);
    }
  }
}
