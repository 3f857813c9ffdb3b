package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.migrationgate.contract.ScriptsDigest;
import java.util.Map;

/**
 * The digest of a ConfigMap's data: the launch compares a snapshot's with the plan's scripts
 * digest, and status records each evidence ConfigMap's (docs/evidence.md recomputes it). The
 * operator's cache keeps a ConfigMap as {@link Cached}, with the digest instead of the data (a
 * snapshot can hold up to 1 MiB of scripts); one read from the API server (a create's answer, a
 * live read when the cache is behind) is whole. {@link #of} tells the two apart by type, never by
 * something the API server could return.
 */
public final class ConfigMapDigest {

  private ConfigMapDigest() {}

  /** The digest of {@code configMap}'s data, whether it came from the cache or the API server. */
  public static String of(ConfigMap configMap) {
    return configMap instanceof Cached cached ? cached.dataDigest : ofData(configMap);
  }

  private static String ofData(ConfigMap whole) {
    return ScriptsDigest.of(whole.getData() == null ? Map.of() : whole.getData());
  }

  /** A cached ConfigMap: its metadata, whether it is immutable, and the digest of its data. */
  public static final class Cached extends ConfigMap {
    private final String dataDigest;

    public Cached(ConfigMap whole) {
      setApiVersion(whole.getApiVersion());
      setKind(whole.getKind());
      setMetadata(whole.getMetadata());
      setImmutable(whole.getImmutable());
      setData(null);
      setBinaryData(null);
      this.dataDigest = ofData(whole);
    }
  }
}
