package io.migrationgate.localcluster.kubelet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * One container's log on disk, in the CRI format the real kubelet keeps
 * ({@code <RFC3339Nano time> <stdout|stderr> F <line>}), so that timestamps and sinceTime work.
 */
public final class ContainerLog {

  /** One line of the log. */
  public record Line(Instant time, String stream, String text) {}

  private final Path file;
  private final OutputStream out;

  ContainerLog(Path file) throws IOException {
    this.file = file;
    this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  public Path file() {
    return file;
  }

  /** Copies a process stream into the log, line by line, until it ends; returns the pumping thread. */
  Thread pump(InputStream stream, String name, String threadName) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          append(name, line);
        }
      } catch (IOException e) {
        append("stderr", "process kubelet: log copy failed: " + e.getMessage());
      }
    }, threadName);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  synchronized void append(String stream, String text) {
    try {
      String ts = DateTimeFormatter.ISO_INSTANT.format(Instant.now());
      out.write((ts + " " + stream + " F " + text + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  synchronized void close() {
    try {
      out.close();
    } catch (IOException ignored) {
      // nothing left to write
    }
  }

  /** All lines written so far. */
  public List<Line> lines() {
    return read(file);
  }

  static List<Line> read(Path file) {
    List<Line> lines = new ArrayList<>();
    List<String> raw;
    try {
      raw = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return lines;
    }
    for (String entry : raw) {
      String[] parts = entry.split(" ", 4);
      if (parts.length == 4) {
        lines.add(new Line(Instant.parse(parts[0]), parts[1], parts[3]));
      } else if (parts.length == 3) {
        lines.add(new Line(Instant.parse(parts[0]), parts[1], ""));
      }
    }
    return lines;
  }

  /**
   * The kubelet's FallbackToLogsOnError message: the last 80 lines of the log, at most 2048 bytes
   * (the newest bytes are kept).
   */
  public String fallbackMessage() {
    List<Line> lines = lines();
    StringBuilder text = new StringBuilder();
    for (Line line : lines.subList(Math.max(0, lines.size() - 80), lines.size())) {
      text.append(line.text()).append('\n');
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= 2048) {
      return text.toString();
    }
    return new String(bytes, bytes.length - 2048, 2048, StandardCharsets.UTF_8);
  }
}
