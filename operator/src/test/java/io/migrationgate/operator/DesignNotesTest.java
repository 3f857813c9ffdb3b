package io.migrationgate.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/design-notes.md "Where each rule lives" is where a newcomer looks for a rule, so it must be
 * complete and true: every class it names exists, and every class of the operator is named there.
 */
class DesignNotesTest {

  private static final Path NOTES = Path.of("../docs/design-notes.md");
  private static final String SECTION = "## Where each rule lives";
  /** A class in backticks, alone or with a member: {@code StatusRecorder}, {@code Action.LONGEST_CHAIN}. */
  private static final Pattern CLASS = Pattern.compile("`([A-Z][a-z]\\w*)(?:\\.\\w+(?:\\(\\))?)?`");

  @Test
  void everyClassTheSectionNamesExists() throws IOException {
    Set<String> sources = classes(Path.of("src/main/java"));
    sources.addAll(classes(Path.of("src/test/java")));

    assertThat(named()).isNotEmpty().allSatisfy(name -> assertThat(sources).as("a source file for " + name)
        .contains(name));
  }

  @Test
  void everyClassOfTheOperatorIsNamedInTheSection() throws IOException {
    assertThat(named()).containsAll(classes(Path.of("src/main/java/io/migrationgate/operator")));
  }

  private static Set<String> named() throws IOException {
    String notes = Files.readString(NOTES);
    int start = notes.indexOf(SECTION);
    assertThat(start).as(SECTION).isNotNegative();
    int end = notes.indexOf("\n## ", start + SECTION.length());
    Matcher m = CLASS.matcher(notes.substring(start, end < 0 ? notes.length() : end));
    Set<String> names = new TreeSet<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static Set<String> classes(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".java"))
          .map(f -> f.substring(0, f.length() - ".java".length()))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
