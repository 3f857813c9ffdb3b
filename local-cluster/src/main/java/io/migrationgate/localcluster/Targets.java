package io.migrationgate.localcluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The MigrationTargets the tests, benchmarks and the demo register, as a platform engineer would:
 * the migrator's Secret in the operator's namespace and a target admitting every namespace.
 */
public final class Targets {

  private Targets() {}

  /** The target registered for {@code url}: named after its database, with a digest so two URLs never share one. */
  public static String nameOf(String url) {
    String database = url.substring(url.lastIndexOf('/') + 1).replaceAll("[?;].*", "");
    String readable = database.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    String digest;
    try {
      digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    return (readable.length() > 40 ? readable.substring(0, 40) : readable) + "-" + digest;
  }

  /** The Secret (named {@code <target>-migrator}) and the target for {@code url}, for one {@code kubectl apply} as the admin. */
  public static String yaml(String url, String username, String password) {
    String name = nameOf(url);
    return Yaml.secret(ChartRelease.NAMESPACE, secretOf(url), username, password) + "---\n"
        + Yaml.target(name, url, secretOf(url), false);
  }

  public static String secretOf(String url) {
    return nameOf(url) + "-migrator";
  }
}
