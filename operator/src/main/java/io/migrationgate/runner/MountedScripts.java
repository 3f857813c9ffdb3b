package io.migrationgate.runner;

import io.migrationgate.contract.BadArgumentsException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads the scripts exactly as the operator digested them: one entry per ConfigMap key.
 *
 * <p>A ConfigMap volume shows each key as a top-level symlink into a hidden timestamped directory
 * ({@code ..data -> ..2026_01_01_...}). Following the symlinks and skipping dot-entries and
 * directories yields the keys once each; a recursive scan would find every script three times.
 */
public final class MountedScripts {

  private final Path directory;
  private final SortedMap<String, String> contentByName;

  private MountedScripts(Path directory, SortedMap<String, String> contentByName) {
    this.directory = directory;
    this.contentByName = Collections.unmodifiableSortedMap(contentByName);
  }

  public static MountedScripts read(Path directory) throws BadArgumentsException {
    if (!Files.isDirectory(directory)) {
      throw new BadArgumentsException(
          "--scripts=" + directory + " is not a directory; mount the scripts snapshot there");
    }
    SortedMap<String, String> contentByName = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".") || !Files.isRegularFile(entry)) {
          continue;
        }
        contentByName.put(name, readUtf8(entry));
      }
    } catch (IOException e) {
      throw new BadArgumentsException("cannot read the scripts in " + directory + ": " + e);
    }
    return new MountedScripts(directory, contentByName);
  }

  /** No scripts: a plan of an image source, which does not open the image. */
  static MountedScripts none() {
    return new MountedScripts(Path.of("."), new TreeMap<>());
  }

  private static String readUtf8(Path file) throws BadArgumentsException, IOException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new BadArgumentsException(
          "script " + file.getFileName() + " is not valid UTF-8; ConfigMap data keys hold UTF-8 text");
    }
  }

  public Path directory() {
    return directory;
  }

  /** Script file names in the order both digests sort them, with their text. */
  public SortedMap<String, String> contentByName() {
    return contentByName;
  }
}
