package io.migrationgate.localcluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * kube-apiserver's command line as a running process shows it: the flags kube-api-test gave it, read
 * back to find the process and changed to restart it with other values. Flags come as
 * {@code --f v} or {@code --f=v}, so both forms are read.
 */
final class ApiServerFlags {

  private ApiServerFlags() {}

  /** {@code args} with each of {@code flags} set to its value, whichever way it was given before. */
  static List<String> withFlags(List<String> args, Map<String, String> flags) {
    List<String> result = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (!flags.containsKey(name)) {
        result.add(arg);
      } else if (!arg.contains("=") && i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        i++;
      }
    }
    flags.forEach((name, value) -> result.add(name + "=" + value));
    return result;
  }

  /** The value of {@code flag} in {@code args} ({@code --f v} or {@code --f=v}); empty when absent. */
  static String flagValue(List<String> args, String flag) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).startsWith(flag + "=")) {
        return args.get(i).substring(flag.length() + 1);
      }
      if (args.get(i).equals(flag) && i + 1 < args.size()) {
        return args.get(i + 1);
      }
    }
    return "";
  }
}
