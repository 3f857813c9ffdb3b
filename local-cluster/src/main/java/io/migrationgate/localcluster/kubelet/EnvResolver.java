package io.migrationgate.localcluster.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.migrationgate.localcluster.SecretValues;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as the kubelet builds it: envFrom, then env in order, with
 * {@code $(VAR)} references expanded, values from Secrets, ConfigMaps and pod fields. Missing
 * required sources fail with the real kubelet's words (reason {@code CreateContainerConfigError}).
 */
final class EnvResolver {

  static final String CONFIG_ERROR = "CreateContainerConfigError";
  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([-._a-zA-Z0-9]+)\\)|\\$\\$");

  private final KubernetesClient client;

  EnvResolver(KubernetesClient client) {
    this.client = client;
  }

  Map<String, String> resolve(Pod pod, Container container, PathRewriter paths) throws WaitingException {
    String namespace = pod.getMetadata().getNamespace();
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource from : container.getEnvFrom()) {
      String prefix = from.getPrefix() == null ? "" : from.getPrefix();
      if (from.getConfigMapRef() != null) {
        ConfigMap map = configMap(namespace, from.getConfigMapRef().getName(), from.getConfigMapRef().getOptional());
        if (map != null && map.getData() != null) {
          map.getData().forEach((k, v) -> env.put(prefix + k, v));
        }
      }
      if (from.getSecretRef() != null) {
        Secret secret = secret(namespace, from.getSecretRef().getName(), from.getSecretRef().getOptional());
        if (secret != null) {
          SecretValues.of(secret).forEach((k, v) -> env.put(prefix + k, v));
        }
      }
    }
    for (EnvVar var : container.getEnv()) {
      if (var.getValueFrom() == null) {
        env.put(var.getName(), paths.rewrite(expand(var.getValue() == null ? "" : var.getValue(), env)));
        continue;
      }
      String value = valueFrom(pod, var);
      if (value != null) {
        env.put(var.getName(), value);
      }
    }
    return env;
  }

  private String valueFrom(Pod pod, EnvVar var) throws WaitingException {
    String namespace = pod.getMetadata().getNamespace();
    SecretKeySelector secretKey = var.getValueFrom().getSecretKeyRef();
    if (secretKey != null) {
      Secret secret = secret(namespace, secretKey.getName(), secretKey.getOptional());
      String value = secret == null ? null : SecretValues.of(secret).get(secretKey.getKey());
      if (value == null && secret != null && !Boolean.TRUE.equals(secretKey.getOptional())) {
        throw new WaitingException(CONFIG_ERROR,
            "couldn't find key " + secretKey.getKey() + " in Secret " + namespace + "/" + secretKey.getName());
      }
      return value;
    }
    ConfigMapKeySelector mapKey = var.getValueFrom().getConfigMapKeyRef();
    if (mapKey != null) {
      ConfigMap map = configMap(namespace, mapKey.getName(), mapKey.getOptional());
      String value = map == null || map.getData() == null ? null : map.getData().get(mapKey.getKey());
      if (value == null && map != null && !Boolean.TRUE.equals(mapKey.getOptional())) {
        throw new WaitingException(CONFIG_ERROR,
            "couldn't find key " + mapKey.getKey() + " in ConfigMap " + namespace + "/" + mapKey.getName());
      }
      return value;
    }
    if (var.getValueFrom().getFieldRef() != null) {
      return field(pod, var.getValueFrom().getFieldRef().getFieldPath());
    }
    throw new WaitingException(CONFIG_ERROR,
        "env " + var.getName() + ": only secretKeyRef, configMapKeyRef and fieldRef are supported by the process kubelet");
  }

  static String field(Pod pod, String path) {
    return switch (path) {
      case "metadata.name" -> pod.getMetadata().getName();
      case "metadata.namespace" -> pod.getMetadata().getNamespace();
      case "metadata.uid" -> pod.getMetadata().getUid();
      case "spec.nodeName" -> pod.getSpec().getNodeName();
      case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
      case "status.hostIP", "status.podIP" -> "127.0.0.1";
      default -> {
        Matcher label = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)']").matcher(path);
        if (label.matches()) {
          Map<String, String> values = label.group(1).equals("labels")
              ? pod.getMetadata().getLabels() : pod.getMetadata().getAnnotations();
          yield values == null ? "" : values.getOrDefault(label.group(2), "");
        }
        yield "";
      }
    };
  }

  Secret secret(String namespace, String name, Boolean optional) throws WaitingException {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null && !Boolean.TRUE.equals(optional)) {
      throw new WaitingException(CONFIG_ERROR, "secret \"" + name + "\" not found");
    }
    return secret;
  }

  ConfigMap configMap(String namespace, String name, Boolean optional) throws WaitingException {
    ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
    if (map == null && !Boolean.TRUE.equals(optional)) {
      throw new WaitingException(CONFIG_ERROR, "configmap \"" + name + "\" not found");
    }
    return map;
  }

  /** Kubernetes' {@code $(VAR)} expansion: known names are replaced, {@code $$} escapes, others stay. */
  static String expand(String text, Map<String, String> env) {
    Matcher matcher = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String replacement = matcher.group(1) == null ? "$" : env.getOrDefault(matcher.group(1), matcher.group());
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
