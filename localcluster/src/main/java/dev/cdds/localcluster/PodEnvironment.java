package dev.cdds.localcluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a container's environment as kubelet does: envFrom, then env in order, literal values
 * with $(VAR) expansion, Secret and ConfigMap keys, and the downward API fields.
 */
final class PodEnvironment {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");
  private static final Pattern LABEL_OR_ANNOTATION =
      Pattern.compile("metadata\\.(labels|annotations)\\['([^']+)'\\]");

  private final KubernetesClient client;
  private final Pod pod;

  PodEnvironment(KubernetesClient client, Pod pod) {
    this.client = client;
    this.pod = pod;
  }

  Map<String, String> resolve(Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (var from : container.getEnvFrom()) {
      String prefix = from.getPrefix() == null ? "" : from.getPrefix();
      if (from.getSecretRef() != null) {
        secret(from.getSecretRef().getName(), from.getSecretRef().getOptional())
            .ifPresent(s -> s.getData().forEach((k, v) -> env.put(prefix + k, decode(v))));
      }
      if (from.getConfigMapRef() != null) {
        configMap(from.getConfigMapRef().getName(), from.getConfigMapRef().getOptional())
            .ifPresent(m -> m.getData().forEach((k, v) -> env.put(prefix + k, v)));
      }
    }
    for (EnvVar variable : container.getEnv()) {
      String value =
          variable.getValueFrom() == null
              ? expand(variable.getValue(), env)
              : valueFrom(variable.getName(), variable.getValueFrom());
      if (value != null) {
        env.put(variable.getName(), value);
      }
    }
    return env;
  }

  /** Expands $(VAR) from variables defined before; $$ escapes, unknown references stay as is. */
  static String expand(String value, Map<String, String> defined) {
    if (value == null) {
      return "";
    }
    Matcher m = REFERENCE.matcher(value.replace("$$", "\u0000"));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = defined.getOrDefault(m.group(1), m.group());
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString().replace("\u0000", "$");
  }

  private String valueFrom(String name, EnvVarSource source) {
    if (source.getSecretKeyRef() != null) {
      var ref = source.getSecretKeyRef();
      return secret(ref.getName(), ref.getOptional())
          .map(s -> s.getData() == null ? null : s.getData().get(ref.getKey()))
          .map(PodEnvironment::decode)
          .or(() -> missingKey(name, "secret", ref.getName(), ref.getKey(), ref.getOptional()))
          .orElse(null);
    }
    if (source.getConfigMapKeyRef() != null) {
      var ref = source.getConfigMapKeyRef();
      return configMap(ref.getName(), ref.getOptional())
          .map(m -> m.getData() == null ? null : m.getData().get(ref.getKey()))
          .or(() -> missingKey(name, "configmap", ref.getName(), ref.getKey(), ref.getOptional()))
          .orElse(null);
    }
    if (source.getFieldRef() != null) {
      return field(source.getFieldRef().getFieldPath());
    }
    throw new IllegalStateException(
        "env " + name + ": resourceFieldRef is not supported by the process node");
  }

  private String field(String path) {
    var meta = pod.getMetadata();
    Matcher m = LABEL_OR_ANNOTATION.matcher(path);
    if (m.matches()) {
      var map = m.group(1).equals("labels") ? meta.getLabels() : meta.getAnnotations();
      return map == null ? "" : map.getOrDefault(m.group(2), "");
    }
    return switch (path) {
      case "metadata.name" -> meta.getName();
      case "metadata.namespace" -> meta.getNamespace();
      case "metadata.uid" -> meta.getUid();
      case "spec.nodeName" -> ProcessNode.NODE_NAME;
      case "spec.serviceAccountName" -> serviceAccount(pod);
      case "status.podIP", "status.hostIP" -> "127.0.0.1";
      default -> throw new IllegalStateException("fieldRef " + path + " is not supported");
    };
  }

  static String serviceAccount(Pod pod) {
    String name = pod.getSpec().getServiceAccountName();
    return name == null || name.isEmpty() ? "default" : name;
  }

  private Optional<Secret> secret(String name, Boolean optional) {
    var secret =
        client.secrets().inNamespace(pod.getMetadata().getNamespace()).withName(name).get();
    if (secret == null && !Boolean.TRUE.equals(optional)) {
      throw new IllegalStateException("secret \"" + name + "\" not found");
    }
    return Optional.ofNullable(secret);
  }

  private Optional<ConfigMap> configMap(String name, Boolean optional) {
    var map =
        client.configMaps().inNamespace(pod.getMetadata().getNamespace()).withName(name).get();
    if (map == null && !Boolean.TRUE.equals(optional)) {
      throw new IllegalStateException("configmap \"" + name + "\" not found");
    }
    return Optional.ofNullable(map);
  }

  private static Optional<String> missingKey(
      String env, String kind, String name, String key, Boolean optional) {
    if (Boolean.TRUE.equals(optional)) {
      return Optional.empty();
    }
    throw new IllegalStateException(
        "env " + env + ": couldn't find key " + key + " in " + kind + " " + name);
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
