package io.migrationgate.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plan digest both sides agree on: the operator computes it over the snapshot ConfigMap's data,
 * the runner over the files it finds mounted, and the runner refuses to migrate when they differ.
 *
 * <p>Names are sorted by their natural String order; each entry contributes its UTF-8 name, a NUL,
 * the decimal byte length of its content, a NUL and the content bytes, so that no two different
 * sets of files can produce the same byte stream.
 */
public final class ScriptsDigest {

  public static final String PREFIX = "sha256:";

  private ScriptsDigest() {}

  public static String of(Map<String, String> scriptsByName) {
    MessageDigest sha256 = newSha256();
    for (Map.Entry<String, String> script : new TreeMap<>(scriptsByName).entrySet()) {
      byte[] content = script.getValue().getBytes(StandardCharsets.UTF_8);
      sha256.update(script.getKey().getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0);
      sha256.update(Integer.toString(content.length).getBytes(StandardCharsets.US_ASCII));
      sha256.update((byte) 0);
      sha256.update(content);
    }
    return PREFIX + HexFormat.of().formatHex(sha256.digest());
  }

  /** The digest of a single script's content, as listed per script in the plan. */
  public static String ofContent(String content) {
    return HexFormat.of().formatHex(newSha256().digest(content.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
