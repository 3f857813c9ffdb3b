package io.migrationgate.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operator's packages by role, read from their sources: lifecycle decides and may not reach for
 * the Kubernetes client or JOSDK (so every rule in it is testable with plain objects), and no package
 * depends on another that depends back on it. {@link ClassLengthTest} bounds each class's length;
 * {@code RunnerIndependenceTest} guards the runner and the contract.
 */
class PackageRolesTest {

  private static final Path SOURCES = Path.of("src/main/java/io/migrationgate/operator");
  private static final String ROOT = "io.migrationgate.operator";
  private static final Pattern REFERENCE = Pattern.compile("\\bio\\.migrationgate\\.operator(?:\\.\\w+)*");

  @Test
  void theLifecycleImportsNeitherTheKubernetesClientNorJosdkNorAnyOtherOperatorPackage() {
    Map<Path, String> lifecycle = sources(SOURCES.resolve("lifecycle"));
    assertThat(lifecycle).isNotEmpty();
    assertThat(offending(lifecycle, List.of("io.fabric8.kubernetes.client", "io.javaoperatorsdk"))).isEmpty();
    assertThat(lifecycle).allSatisfy((file, text) -> assertThat(references(text))
        .as(file.toString()).allMatch(p -> p.equals(ROOT + ".lifecycle")));
  }

  @Test
  void noPackageOfTheOperatorDependsOnOneThatDependsBackOnIt() {
    Map<String, Set<String>> uses = new TreeMap<>();
    sources(SOURCES).forEach((file, text) -> uses.computeIfAbsent(packageOf(text), k -> new TreeSet<>())
        .addAll(references(text).stream().filter(p -> !p.equals(packageOf(text))).toList()));
    assertThat(uses.keySet()).as("the packages by role").contains(ROOT, ROOT + ".lifecycle", ROOT + ".effects",
        ROOT + ".watch", ROOT + ".runtime");
    assertThat(cycles(uses)).isEmpty();
  }

  /** The operator packages a source names, whether it imports them or writes a class out in full. */
  private static Set<String> references(String text) {
    Set<String> packages = new LinkedHashSet<>();
    String code = text.replaceFirst("(?m)^package [\\w.]+;", "");
    Matcher m = REFERENCE.matcher(code);
    while (m.find()) {
      packages.add(packageOfClass(m.group()));
    }
    return packages;
  }

  /** A package is a lower-case name; the first capitalized part of a reference is its class. */
  private static String packageOfClass(String reference) {
    List<String> parts = new ArrayList<>();
    for (String part : reference.split("\\.")) {
      if (Character.isUpperCase(part.charAt(0))) {
        break;
      }
      parts.add(part);
    }
    return String.join(".", parts);
  }

  private static String packageOf(String text) {
    Matcher m = Pattern.compile("(?m)^package ([\\w.]+);").matcher(text);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  /** Each cycle in the graph, as the packages along it. */
  private static List<List<String>> cycles(Map<String, Set<String>> uses) {
    List<List<String>> found = new ArrayList<>();
    Map<String, Integer> state = new HashMap<>();
    for (String start : uses.keySet()) {
      visit(start, uses, state, new ArrayList<>(), found);
    }
    return found;
  }

  private static void visit(String pkg, Map<String, Set<String>> uses, Map<String, Integer> state, List<String> path,
      List<List<String>> found) {
    Integer seen = state.get(pkg);
    if (seen != null && seen == 1) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(pkg), path.size()));
      cycle.add(pkg);
      found.add(cycle);
      return;
    }
    if (seen != null) {
      return;
    }
    state.put(pkg, 1);
    path.add(pkg);
    for (String next : uses.getOrDefault(pkg, Set.of())) {
      visit(next, uses, state, path, found);
    }
    path.remove(path.size() - 1);
    state.put(pkg, 2);
  }

  private static List<Path> offending(Map<Path, String> sources, List<String> forbidden) {
    return sources.entrySet().stream()
        .filter(e -> forbidden.stream().anyMatch(e.getValue()::contains))
        .map(Map.Entry::getKey)
        .toList();
  }

  static Map<Path, String> sources(Path directory) {
    assertThat(directory).isDirectory();
    try (Stream<Path> files = Files.walk(directory)) {
      Map<Path, String> texts = new TreeMap<>();
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> texts.put(f, read(f)));
      return texts;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
