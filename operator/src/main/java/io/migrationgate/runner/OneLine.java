package io.migrationgate.runner;

/**
 * Folds driver and Flyway messages, which often span several lines with indentation, into the
 * single line that stderr, the report message and the Kubernetes termination message all expect.
 */
final class OneLine {

  private OneLine() {}

  static String of(String text) {
    if (text == null) {
      return "";
    }
    return text.replaceAll("\\s*[\\r\\n]+\\s*", " | ").replaceAll("[ \\t]+", " ").strip()
        .replaceAll("^\\|\\s*|\\s*\\|$", "");
  }
}
