package io.kubeactor.agent.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.model.AuthConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.agent.runtime.DockerRuntime;
import io.kubeactor.agent.runtime.ImageReference;
import io.kubeactor.common.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Makes a container's image present as its imagePullPolicy asks, with the pod's imagePullSecrets,
 * and kubelet's events and back-off (ErrImagePull, then ImagePullBackOff). No registry is reachable
 * on some machines: a pull that fails for that reason, of an image present here, goes on with the
 * local image and a Warning event.
 */
final class ImagePuller {
  private static final Duration PULL_TIMEOUT = Duration.ofMinutes(5);

  private final DockerRuntime docker;
  private final ObjectReader reader;
  private final RestartBackOff backOff = new RestartBackOff();

  ImagePuller(DockerRuntime docker, ObjectReader reader) {
    this.docker = docker;
    this.reader = reader;
  }

  /** Null when the image is ready, else the waiting state the container shows. */
  ContainerState.Waiting ensure(Pod pod, Container c, PodEvents events, String fieldPath, Instant now) {
    String image = c.getImage();
    String policy = c.getImagePullPolicy() == null ? "IfNotPresent" : c.getImagePullPolicy();
    boolean present = docker.imagePresent(image);
    if (policy.equals("Never")) {
      if (present) return null;
      String message = "Container image \"" + image + "\" is not present with pull policy of Never";
      events.warning("ErrImageNeverPull", message, fieldPath);
      return new ContainerState.Waiting("ErrImageNeverPull", message);
    }
    if (present && policy.equals("IfNotPresent")) {
      events.normal("Pulled", "Container image \"" + image + "\" already present on machine", fieldPath);
      return null;
    }
    String key = pod.getMetadata().getUid() + "/" + image;
    if (!backOff.remaining(key, null, null, now).isZero()) {
      String message = "Back-off pulling image \"" + image + "\"";
      events.normal("BackOff", message, fieldPath);
      events.warning("Failed", "Error: ImagePullBackOff", fieldPath);
      return new ContainerState.Waiting("ImagePullBackOff", message);
    }
    events.normal("Pulling", "Pulling image \"" + image + "\"", fieldPath);
    long started = System.nanoTime();
    try {
      docker.pull(image, credentials(pod, image), PULL_TIMEOUT);
      backOff.forget(key);
      String took = seconds(System.nanoTime() - started);
      events.normal("Pulled", "Successfully pulled image \"" + image + "\" in " + took + " (" + took
          + " including waiting). Image size: " + docker.imageSize(image) + " bytes.", fieldPath);
      return null;
    } catch (DockerRuntime.PullFailed e) {
      if (e.unreachable && present) {
        events.warning("Pulled", "Failed to pull image \"" + image + "\": no registry reachable (" + e.getMessage()
            + "); using the image present on the node", fieldPath);
        return null;
      }
      backOff.started(key, now);
      events.warning("Failed", "Failed to pull image \"" + image + "\": " + e.getMessage(), fieldPath);
      events.warning("Failed", "Error: ErrImagePull", fieldPath);
      return new ContainerState.Waiting("ErrImagePull", "failed to pull image \"" + image + "\": " + e.getMessage());
    }
  }

  /** How long until the next pull of a failed image may be tried. */
  Duration backOffRemaining(Pod pod, String image, Instant now) {
    return backOff.remaining(pod.getMetadata().getUid() + "/" + image, null, null, now);
  }

  /** The credentials the pod's imagePullSecrets hold for the image's registry, or null. */
  private AuthConfig credentials(Pod pod, String image) {
    List<LocalObjectReference> secrets = pod.getSpec().getImagePullSecrets();
    if (secrets == null) return null;
    String registry = ImageReference.parse(image).registry();
    for (LocalObjectReference ref : secrets) {
      try {
        ObjectNode secret = reader.read("Secret", pod.getMetadata().getNamespace(), ref.getName());
        if (secret == null) continue;
        JsonNode auths = auths(secret);
        for (var entry : auths.properties()) {
          if (!matches(entry.getKey(), registry)) continue;
          JsonNode a = entry.getValue();
          String user = a.path("username").asText("");
          String password = a.path("password").asText("");
          if (user.isEmpty() && a.hasNonNull("auth")) {
            String decoded = new String(Base64.getDecoder().decode(a.path("auth").asText()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon > 0) {
              user = decoded.substring(0, colon);
              password = decoded.substring(colon + 1);
            }
          }
          return new AuthConfig().withUsername(user).withPassword(password).withRegistryAddress(entry.getKey());
        }
      } catch (Exception e) {
        // an unreadable secret is as if absent: the pull goes without it and says why it failed
      }
    }
    return null;
  }

  private static JsonNode auths(ObjectNode secret) throws Exception {
    JsonNode data = secret.path("data");
    if (data.hasNonNull(".dockerconfigjson")) {
      return Json.MAPPER.readTree(Base64.getDecoder().decode(data.path(".dockerconfigjson").asText())).path("auths");
    }
    if (data.hasNonNull(".dockercfg")) {
      return Json.MAPPER.readTree(Base64.getDecoder().decode(data.path(".dockercfg").asText()));
    }
    return Json.object();
  }

  /** A dockerconfig key ("mydomain:5000", "https://mydomain:5000/v1/") names the registry host. */
  static boolean matches(String key, String registry) {
    String host = key.replaceFirst("^https?://", "");
    int slash = host.indexOf('/');
    if (slash >= 0) host = host.substring(0, slash);
    if (registry.equals(ImageReference.DOCKER_HUB)) {
      return host.equals("docker.io") || host.equals("index.docker.io") || host.equals("registry-1.docker.io");
    }
    return host.equals(registry);
  }

  private static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.3fs", nanos / 1e9);
  }
}
