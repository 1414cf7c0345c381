package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ApiException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The ServiceAccount admission plugin on pod creation (plugin/pkg/admission/serviceaccount): the
 * pod's account ("default" unless named, which {@link PodDefaults} sets) must exist; unless the pod,
 * or else the account, turns automountServiceAccountToken off, every container and init container
 * mounts the projected kube-api-access-XXXXX volume (a bound token, the cluster CA, the namespace)
 * read-only at {@value #MOUNT_PATH}; a pod without imagePullSecrets takes its account's; an account
 * annotated {@value #ENFORCE_MOUNTABLE_SECRETS} limits the secrets the pod may use to its own.
 */
public final class ServiceAccountAdmission {
  private ServiceAccountAdmission() {}

  public static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
  public static final String VOLUME_PREFIX = "kube-api-access-";
  public static final String ENFORCE_MOUNTABLE_SECRETS = "kubernetes.io/enforce-mountable-secrets";
  /** The projected token's lifetime (claims.go WarnOnlyBoundTokenExpirationSeconds): an hour and 7 s, extended by the API server. */
  public static final int TOKEN_EXPIRATION_SECONDS = 3607;
  private static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";

  /**
   * Admits a new pod.
   *
   * @param serviceAccounts the pod's namespace's ServiceAccount of a name, as stored, or null
   * @param tokens whether the token part is on ({@link AdmissionSettings#serviceAccountTokens}): the
   *     account must exist, the token volume is mounted and mountable secrets are enforced
   * @param nameSuffix the random suffix of the volume's name
   * @throws ApiException 403 when the account does not exist or forbids a secret the pod uses
   */
  public static void admit(ObjectNode pod, Function<String, ObjectNode> serviceAccounts, boolean tokens,
      Supplier<String> nameSuffix) {
    // a mirror pod's spec is the kubelet's, never changed (the kubelet would delete it)
    if (pod.path("metadata").path("annotations").has(MIRROR_POD_ANNOTATION)) return;
    ObjectNode spec = pod.withObjectProperty("spec");
    String name = Nodes.text(spec, "serviceAccountName");
    ObjectNode account = serviceAccounts.apply(name);
    if (account == null && tokens) {
      String namespace = pod.path("metadata").path("namespace").asText();
      throw forbidden(pod, "error looking up service account " + namespace + "/" + name + ": serviceaccount \""
          + name + "\" not found");
    }
    if (tokens && automounts(pod, account)) mountToken(spec, nameSuffix);
    if (account != null && spec.path("imagePullSecrets").isEmpty() && !account.path("imagePullSecrets").isEmpty()) {
      ArrayNode pullSecrets = spec.putArray("imagePullSecrets");
      for (JsonNode secret : account.get("imagePullSecrets")) pullSecrets.addObject().put("name", secret.path("name").asText());
    }
    if (tokens && "true".equalsIgnoreCase(account.path("metadata").path("annotations").path(ENFORCE_MOUNTABLE_SECRETS).asText())) {
      String refused = secretReferenceRefused(account, spec);
      if (refused != null) throw forbidden(pod, refused);
    }
  }

  // The pod's choice wins, then the account's; on by default.
  private static boolean automounts(ObjectNode pod, ObjectNode account) {
    JsonNode podChoice = pod.path("spec").path("automountServiceAccountToken");
    if (podChoice.isBoolean()) return podChoice.asBoolean();
    JsonNode accountChoice = account.path("automountServiceAccountToken");
    return !accountChoice.isBoolean() || accountChoice.asBoolean();
  }

  private static void mountToken(ObjectNode spec, Supplier<String> nameSuffix) {
    String volumeName = null;
    for (ObjectNode volume : objects(spec, "volumes")) {
      if (Nodes.text(volume, "name").startsWith(VOLUME_PREFIX)) {
        volumeName = Nodes.text(volume, "name");
        break;
      }
    }
    boolean hasVolume = volumeName != null;
    if (!hasVolume) volumeName = VOLUME_PREFIX + nameSuffix.get();
    boolean needsVolume = false;
    for (String list : List.of("initContainers", "containers")) {
      for (ObjectNode container : objects(spec, list)) {
        boolean mounted = false;
        for (ObjectNode mount : objects(container, "volumeMounts")) {
          // a container that already mounts something at the path keeps it
          if (MOUNT_PATH.equals(Nodes.text(mount, "mountPath"))) mounted = true;
        }
        if (mounted) continue;
        ArrayNode mounts = container.get("volumeMounts") instanceof ArrayNode a ? a : container.putArray("volumeMounts");
        mounts.addObject().put("name", volumeName).put("readOnly", true).put("mountPath", MOUNT_PATH);
        needsVolume = true;
      }
    }
    if (!hasVolume && needsVolume) {
      ArrayNode volumes = spec.get("volumes") instanceof ArrayNode a ? a : spec.putArray("volumes");
      tokenVolume(volumes.addObject().put("name", volumeName));
    }
  }

  /** TokenVolumeSource: the token (3607 s), the cluster CA from kube-root-ca.crt, and the pod's namespace. */
  private static void tokenVolume(ObjectNode volume) {
    ObjectNode projected = volume.putObject("projected");
    projected.put("defaultMode", 0644);
    ArrayNode sources = projected.putArray("sources");
    sources.addObject().putObject("serviceAccountToken").put("expirationSeconds", TOKEN_EXPIRATION_SECONDS).put("path", "token");
    ObjectNode configMap = sources.addObject().putObject("configMap");
    configMap.put("name", "kube-root-ca.crt");
    configMap.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
    ObjectNode namespace = sources.addObject().putObject("downwardAPI").putArray("items").addObject();
    namespace.put("path", "namespace");
    namespace.putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", "metadata.namespace");
  }

  /** limitSecretReferences: the first secret the pod uses that its account does not list, worded as upstream; null if none. */
  private static String secretReferenceRefused(ObjectNode account, ObjectNode spec) {
    String sa = account.path("metadata").path("name").asText();
    Set<String> mountable = names(account.path("secrets"));
    for (ObjectNode volume : objects(spec, "volumes")) {
      JsonNode secret = volume.path("secret");
      if (secret.isObject() && !mountable.contains(Nodes.text(secret, "secretName"))) {
        return "volume with secret.secretName=\"" + Nodes.text(secret, "secretName")
            + "\" is not allowed because service account " + sa + " does not reference that secret";
      }
    }
    for (String list : List.of("initContainers", "containers")) {
      String what = list.equals("initContainers") ? "init container " : "container ";
      for (ObjectNode container : objects(spec, list)) {
        String containerName = Nodes.text(container, "name");
        for (ObjectNode env : objects(container, "env")) {
          JsonNode ref = env.path("valueFrom").path("secretKeyRef");
          if (ref.isObject() && !mountable.contains(Nodes.text(ref, "name"))) {
            return what + containerName + " with envVar " + Nodes.text(env, "name") + " referencing secret.secretName=\""
                + Nodes.text(ref, "name") + "\" is not allowed because service account " + sa
                + " does not reference that secret";
          }
        }
        for (ObjectNode envFrom : objects(container, "envFrom")) {
          JsonNode ref = envFrom.path("secretRef");
          if (ref.isObject() && !mountable.contains(Nodes.text(ref, "name"))) {
            return what + containerName + " with envFrom referencing secret.secretName=\"" + Nodes.text(ref, "name")
                + "\" is not allowed because service account " + sa + " does not reference that secret";
          }
        }
      }
    }
    Set<String> pullSecrets = names(account.path("imagePullSecrets"));
    List<ObjectNode> podPullSecrets = objects(spec, "imagePullSecrets");
    for (int i = 0; i < podPullSecrets.size(); i++) {
      String secret = Nodes.text(podPullSecrets.get(i), "name");
      if (!pullSecrets.contains(secret)) {
        return "imagePullSecrets[" + i + "].name=\"" + secret + "\" is not allowed because service account " + sa
            + " does not reference that imagePullSecret";
      }
    }
    return null;
  }

  private static Set<String> names(JsonNode references) {
    Set<String> names = new HashSet<>();
    for (JsonNode reference : references) names.add(reference.path("name").asText());
    return names;
  }

  /**
   * admission.NewForbidden: 403 on the pod, named as it was asked for (its generateName when the
   * name was generated, since upstream's admission runs before the name is).
   */
  private static ApiException forbidden(ObjectNode pod, String why) {
    JsonNode meta = pod.path("metadata");
    String name = meta.path("name").asText("");
    String generateName = meta.path("generateName").asText("");
    if (!generateName.isEmpty() && name.startsWith(generateName)
        && name.length() == generateName.length() + GeneratedNames.SUFFIX_LENGTH) {
      name = generateName;
    }
    if (name.isEmpty()) name = "Unknown";
    return new ApiException(403, "Forbidden", "pods \"" + name + "\" is forbidden: " + why, "", "pods", name, null);
  }
}
