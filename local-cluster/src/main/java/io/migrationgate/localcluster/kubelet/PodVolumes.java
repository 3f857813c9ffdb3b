package io.migrationgate.localcluster.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.migrationgate.localcluster.SecretValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's volumes as host directories: ConfigMap and Secret volumes are written out as files
 * (keys, or the listed items), emptyDir is an empty directory shared by all containers of the pod,
 * a projected volume is its sources' files ({@link ProjectedVolume}: the ServiceAccount token volume).
 * Other volume types are refused with a message naming them.
 */
final class PodVolumes {

  private final Map<String, Path> volumes = new HashMap<>();

  static PodVolumes materialize(Pod pod, Path dir, EnvResolver sources, KubernetesClient client)
      throws WaitingException, IOException {
    PodVolumes result = new PodVolumes();
    String namespace = pod.getMetadata().getNamespace();
    for (Volume volume : pod.getSpec().getVolumes()) {
      Path target = Files.createDirectories(dir.resolve(volume.getName()));
      if (volume.getEmptyDir() != null) {
        // nothing to write
      } else if (volume.getConfigMap() != null) {
        write(target, configMapData(mountFailure(volume.getName(), () ->
            sources.configMap(namespace, volume.getConfigMap().getName(), volume.getConfigMap().getOptional()))),
            volume.getConfigMap().getItems());
      } else if (volume.getSecret() != null) {
        write(target, secretData(mountFailure(volume.getName(), () ->
            sources.secret(namespace, volume.getSecret().getSecretName(), volume.getSecret().getOptional()))),
            volume.getSecret().getItems());
      } else if (volume.getProjected() != null) {
        ProjectedVolume.write(pod, volume.getName(), volume.getProjected(), target, sources, client);
      } else {
        throw new WaitingException("ContainerCreating", "volume \"" + volume.getName()
            + "\": the process kubelet supports only configMap, secret, projected and emptyDir volumes");
      }
      result.volumes.put(volume.getName(), target);
    }
    return result;
  }

  static Map<String, byte[]> configMapData(ConfigMap map) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (map != null && map.getData() != null) {
      map.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    if (map != null && map.getBinaryData() != null) {
      map.getBinaryData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    }
    return data;
  }

  static Map<String, byte[]> secretData(Secret secret) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (secret != null) {
      SecretValues.of(secret).forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    return data;
  }

  /** Container path -> host path for the container's mounts (subPath honoured). */
  Map<String, String> mounts(Container container) {
    Map<String, String> mounts = new LinkedHashMap<>();
    for (VolumeMount mount : container.getVolumeMounts()) {
      Path host = volumes.get(mount.getName());
      if (host != null) {
        if (mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
          host = host.resolve(mount.getSubPath());
        }
        mounts.put(mount.getMountPath(), host.toString());
      }
    }
    return mounts;
  }

  interface Lookup<T> {
    T get() throws WaitingException;
  }

  static <T> T mountFailure(String volumeName, Lookup<T> lookup) throws WaitingException {
    try {
      return lookup.get();
    } catch (WaitingException e) {
      throw new WaitingException("ContainerCreating",
          "MountVolume.SetUp failed for volume \"" + volumeName + "\" : " + e.getMessage());
    }
  }

  static void write(Path dir, Map<String, byte[]> data, List<KeyToPath> items) throws IOException, WaitingException {
    if (items == null || items.isEmpty()) {
      for (Map.Entry<String, byte[]> entry : data.entrySet()) {
        Path file = dir.resolve(entry.getKey());
        Files.createDirectories(file.getParent());
        Files.write(file, entry.getValue());
      }
      return;
    }
    for (KeyToPath item : items) {
      byte[] value = data.get(item.getKey());
      if (value == null) {
        throw new WaitingException("ContainerCreating", "configuration key \"" + item.getKey() + "\" not found");
      }
      Path file = dir.resolve(item.getPath());
      Files.createDirectories(file.getParent());
      Files.write(file, value);
    }
  }
}
