package io.migrationgate.localcluster.kubelet;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Rewrites container paths (volume mount paths, {@code /dev/termination-log}, files of an image) to
 * the host directories that stand in for them. A path matches only as a whole path prefix: at the
 * start of the text or after a non-path character, and followed by {@code /} or a non-path
 * character, so {@code /tmp} rewrites {@code -Djava.io.tmpdir=/tmp} and {@code /tmp/x} but not
 * {@code /tmpfiles}. One pass, so a host path that itself starts with {@code /tmp} is not rewritten again.
 */
public final class PathRewriter {

  private final Map<String, String> mapping;
  private final Pattern pattern;

  public PathRewriter(Map<String, String> containerToHost) {
    this.mapping = new LinkedHashMap<>();
    containerToHost.forEach((k, v) -> mapping.put(trimSlash(k), v));
    String alternatives = mapping.keySet().stream()
        .sorted(Comparator.comparingInt(String::length).reversed())
        .map(Pattern::quote)
        .collect(Collectors.joining("|"));
    this.pattern = mapping.isEmpty() ? null
        : Pattern.compile("(?<![\\w.\\-/])(" + alternatives + ")(?=$|[^\\w.\\-])");
  }

  public String rewrite(String text) {
    if (pattern == null || text == null) {
      return text;
    }
    Matcher matcher = pattern.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(out, Matcher.quoteReplacement(mapping.get(matcher.group(1))));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private static String trimSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
