package io.kubeactor.controlplane.controller.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.controller.Hashes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a Deployment compares and names its ReplicaSets by: pod templates as values (apimachinery's
 * semantic equality, where an absent field, null, {} and [] are the same), ignoring the
 * pod-template-hash label, and the hash itself (controller.ComputeHash: FNV-32a of the template and
 * the collision count, written with rand.SafeEncodeString's alphabet).
 */
public final class PodTemplates {
  private PodTemplates() {}

  /** apps/v1 DefaultDeploymentUniqueLabelKey: on a Deployment's ReplicaSets, their selectors and their pods. */
  public static final String HASH_LABEL = "pod-template-hash";

  /** EqualIgnoreHash: the same template but for the value of the pod-template-hash label. */
  public static boolean equalIgnoreHash(PodTemplateSpec a, PodTemplateSpec b) {
    return normalized(a).equals(normalized(b));
  }

  /**
   * The template as a value: without the hash label, and without nulls, empty objects and empty
   * arrays (Go's zero values: a template read back by kubectl for {@code rollout undo} has
   * {@code resources: {}} and {@code creationTimestamp: null} where the stored one has nothing).
   */
  static JsonNode normalized(PodTemplateSpec template) {
    ObjectNode tree = template == null ? Json.object() : Json.toTree(template);
    JsonNode labels = tree.path("metadata").path("labels");
    if (labels instanceof ObjectNode l) l.remove(HASH_LABEL);
    JsonNode pruned = pruned(tree);
    return pruned == null ? Json.object() : pruned;
  }

  /** The node with its keys sorted and its empty parts left out; null when nothing is left. */
  private static JsonNode pruned(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) return null;
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (String name : names) {
        JsonNode v = pruned(node.get(name));
        if (v != null) out.set(name, v);
      }
      return out.isEmpty() ? null : out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (JsonNode item : node) {
        JsonNode v = pruned(item);
        out.add(v == null ? JsonNodeFactory.instance.objectNode() : v);
      }
      return out.isEmpty() ? null : out;
    }
    return node;
  }

  /**
   * The pod-template-hash of a template: deterministic (its normalized JSON, keys sorted), and
   * changed by the collision count so that a Deployment can step past a name already taken.
   */
  public static String hash(PodTemplateSpec template, Integer collisionCount) {
    byte[] bytes = Json.string(normalized(template)).getBytes(StandardCharsets.UTF_8);
    return Hashes.safeEncode(Hashes.fnv32a(bytes, collisionCount));
  }
}
