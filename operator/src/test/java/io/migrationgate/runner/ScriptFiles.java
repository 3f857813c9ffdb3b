package io.migrationgate.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Lays out migration scripts on disk the way the runner finds them in a Pod. */
final class ScriptFiles {

  private ScriptFiles() {}

  static Path plain(Path directory, Map<String, String> scripts) throws IOException {
    Files.createDirectories(directory);
    for (Map.Entry<String, String> script : scripts.entrySet()) {
      Files.writeString(directory.resolve(script.getKey()), script.getValue());
    }
    return directory;
  }

  /**
   * What the kubelet makes of a ConfigMap volume: the files live in a hidden timestamped
   * directory, {@code ..data} links to it, and each key is a top-level symlink through {@code ..data}.
   */
  static Path configMapVolume(Path directory, Map<String, String> scripts) throws IOException {
    Path timestamped = directory.resolve("..2026_11_25_12_00_00.000000001");
    Files.createDirectories(timestamped);
    for (Map.Entry<String, String> script : scripts.entrySet()) {
      Files.writeString(timestamped.resolve(script.getKey()), script.getValue());
    }
    Files.createSymbolicLink(directory.resolve("..data"), timestamped.getFileName());
    for (String name : scripts.keySet()) {
      Files.createSymbolicLink(directory.resolve(name), Path.of("..data", name));
    }
    return directory;
  }
}
