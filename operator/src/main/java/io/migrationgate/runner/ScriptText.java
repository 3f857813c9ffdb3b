package io.migrationgate.runner;

import java.io.Reader;
import java.io.StringReader;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * A script handed to Flyway as text already read (and digested), so Flyway never reads the file a
 * second time: what it runs or parses is exactly the text that was checked.
 */
public final class ScriptText extends LoadableResource {
  private final String name;
  private final String pathOnDisk;
  private final String text;

  /** {@code pathOnDisk} only names the script in Flyway's messages; nothing reads it. */
  public ScriptText(String name, String pathOnDisk, String text) {
    this.name = name;
    this.pathOnDisk = pathOnDisk;
    this.text = text;
  }

  @Override
  public Reader read() {
    return new StringReader(text);
  }

  @Override
  public String getAbsolutePath() {
    return name;
  }

  @Override
  public String getAbsolutePathOnDisk() {
    return pathOnDisk;
  }

  @Override
  public String getFilename() {
    return name;
  }

  @Override
  public String getRelativePath() {
    return name;
  }
}
