package io.migrationgate.localcluster.kubelet;

import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A projected volume written out as files, as the kubelet writes the {@code kube-api-access-*}
 * volume that the API server's ServiceAccount admission adds to a pod: a ServiceAccount token
 * asked for with the TokenRequest API and bound to the pod (so it stops working when the pod is
 * deleted), ConfigMap and Secret keys (the cluster's {@code kube-root-ca.crt}) and downward API
 * fields (the namespace). The token is asked for once, when the pod starts: for the expiry the
 * ServiceAccount admission sets (3607 s) the API server gives a pod-bound token a year
 * ({@code --service-account-extend-token-expiration}, on by default), longer than any run here.
 */
final class ProjectedVolume {

  private ProjectedVolume() {}

  static void write(Pod pod, String volumeName, ProjectedVolumeSource source, Path target, EnvResolver sources,
      KubernetesClient client) throws WaitingException, IOException {
    String namespace = pod.getMetadata().getNamespace();
    for (VolumeProjection projection : source.getSources()) {
      if (projection.getServiceAccountToken() != null) {
        write(target, projection.getServiceAccountToken().getPath(),
            token(pod, volumeName, projection.getServiceAccountToken(), client));
      } else if (projection.getConfigMap() != null) {
        PodVolumes.write(target, PodVolumes.configMapData(PodVolumes.mountFailure(volumeName, () -> sources.configMap(
            namespace, projection.getConfigMap().getName(), projection.getConfigMap().getOptional()))),
            projection.getConfigMap().getItems());
      } else if (projection.getSecret() != null) {
        PodVolumes.write(target, PodVolumes.secretData(PodVolumes.mountFailure(volumeName, () -> sources.secret(
            namespace, projection.getSecret().getName(), projection.getSecret().getOptional()))),
            projection.getSecret().getItems());
      } else if (projection.getDownwardAPI() != null) {
        for (DownwardAPIVolumeFile file : projection.getDownwardAPI().getItems()) {
          if (file.getFieldRef() == null) {
            throw new WaitingException("ContainerCreating", "volume \"" + volumeName
                + "\": the process kubelet projects only fieldRef items of the downward API");
          }
          write(target, file.getPath(), EnvResolver.field(pod, file.getFieldRef().getFieldPath()));
        }
      } else {
        throw new WaitingException("ContainerCreating", "volume \"" + volumeName
            + "\": the process kubelet projects only serviceAccountToken, configMap, secret and downwardAPI sources");
      }
    }
  }

  private static String token(Pod pod, String volumeName, ServiceAccountTokenProjection projection,
      KubernetesClient client) throws WaitingException {
    String serviceAccount = pod.getSpec().getServiceAccountName() == null ? "default"
        : pod.getSpec().getServiceAccountName();
    TokenRequest request = new TokenRequestBuilder()
        .withNewSpec()
          .withAudiences(projection.getAudience() == null ? List.of() : List.of(projection.getAudience()))
          .withExpirationSeconds(projection.getExpirationSeconds() == null ? 3600L : projection.getExpirationSeconds())
          .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName())
            .withUid(pod.getMetadata().getUid()).endBoundObjectRef()
        .endSpec()
        .build();
    try {
      return client.serviceAccounts().inNamespace(pod.getMetadata().getNamespace()).withName(serviceAccount)
          .tokenRequest(request).getStatus().getToken();
    } catch (KubernetesClientException e) {
      throw new WaitingException("ContainerCreating", "MountVolume.SetUp failed for volume \"" + volumeName
          + "\" : failed to fetch token: " + e.getMessage());
    }
  }

  private static void write(Path dir, String path, String value) throws IOException, WaitingException {
    PodVolumes.write(dir, Map.of(path, value.getBytes(StandardCharsets.UTF_8)), null);
  }
}
