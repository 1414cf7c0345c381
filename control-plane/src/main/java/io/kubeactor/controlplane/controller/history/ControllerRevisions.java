package io.kubeactor.controlplane.controller.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.client.ApiWriter;
import io.kubeactor.controlplane.controller.Hashes;
import io.kubeactor.controlplane.controller.OwnerReferences;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Kubernetes' controller history (pkg/controller/history): the ControllerRevisions a DaemonSet or
 * StatefulSet keeps of its templates, named {@code <parent>-<hash>}, labelled with the hash, ordered
 * by revision number. Two revisions are equal when their data are; a name taken by different data is
 * a hash collision, resolved by the parent's collisionCount.
 */
public final class ControllerRevisions {
  private ControllerRevisions() {}

  public static final String HASH_LABEL = "controller.kubernetes.io/hash";

  /** A revision of the parent holding {@code data}, not yet stored. */
  public static ControllerRevision newRevision(HasMetadata parent, Map<String, String> templateLabels, JsonNode data,
      long revision, Integer collisionCount) {
    ControllerRevision cr = new ControllerRevision();
    cr.setApiVersion("apps/v1");
    cr.setKind("ControllerRevision");
    ObjectMeta meta = new ObjectMeta();
    meta.setNamespace(parent.getMetadata().getNamespace());
    Map<String, String> labels = new HashMap<>(templateLabels == null ? Map.of() : templateLabels);
    meta.setLabels(labels);
    meta.setOwnerReferences(List.of(OwnerReferences.controllerRef(parent)));
    cr.setMetadata(meta);
    cr.setData(Json.MAPPER.convertValue(data, Object.class));
    cr.setRevision(revision);
    String hash = hash(cr, collisionCount);
    labels.put(HASH_LABEL, hash);
    meta.setName(name(parent.getMetadata().getName(), hash));
    return cr;
  }

  /**
   * The data a DaemonSet's or StatefulSet's revision holds (getPatch): the patch that restores its
   * pod template, {@code {"spec":{"template":{...,"$patch":"replace"}}}}, keys sorted as Go writes a
   * map's JSON, and read back from its text so that its numbers compare equal to a stored one's.
   */
  public static JsonNode templatePatch(PodTemplateSpec template) {
    ObjectNode t = Json.toTree(template);
    t.put("$patch", "replace");
    ObjectNode patch = Json.object();
    patch.putObject("spec").set("template", t);
    return Json.parse(Json.bytes(sorted(patch)));
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = Json.object();
      java.util.SortedSet<String> names = new java.util.TreeSet<>();
      node.fieldNames().forEachRemaining(names::add);
      for (String name : names) out.set(name, sorted(node.get(name)));
      return out;
    }
    if (node.isArray()) {
      var out = Json.MAPPER.createArrayNode();
      node.forEach(v -> out.add(sorted(v)));
      return out;
    }
    return node;
  }

  /** {@code <prefix>-<hash>}, the prefix cut so the name stays within 253 characters. */
  public static String name(String prefix, String hash) {
    if (prefix.length() > 223) prefix = prefix.substring(0, 223);
    return prefix + "-" + hash;
  }

  /** The hash of the revision's data and the collision count. */
  public static String hash(ControllerRevision cr, Integer collisionCount) {
    return Hashes.safeEncode(Hashes.fnv32a(Json.bytes(Json.MAPPER.valueToTree(cr.getData())), collisionCount));
  }

  /**
   * Whether two revisions hold the same data. Both are read back from their JSON text first: a
   * revision built from typed objects and one read from the store must compare by value, not by
   * how each happened to represent a number.
   */
  public static boolean equal(ControllerRevision a, ControllerRevision b) {
    if (a == null || b == null) return a == b;
    return equalData(a.getData(), b.getData());
  }

  /** Whether two revisions' data (or a revision's data and a template patch) are the same value. */
  public static boolean equalData(Object a, Object b) {
    return Json.parse(Json.bytes(a)).equals(Json.parse(Json.bytes(b)));
  }

  /** The revisions equal to {@code needle}, in the order given. */
  public static List<ControllerRevision> findEqual(List<ControllerRevision> revisions, ControllerRevision needle) {
    List<ControllerRevision> out = new ArrayList<>();
    for (ControllerRevision r : revisions) if (equal(r, needle)) out.add(r);
    return out;
  }

  /** Oldest revision first (then by creation and name, as upstream's byRevision). */
  public static List<ControllerRevision> sorted(List<ControllerRevision> revisions) {
    List<ControllerRevision> out = new ArrayList<>(revisions);
    out.sort(Comparator.comparingLong((ControllerRevision r) -> r.getRevision() == null ? 0 : r.getRevision())
        .thenComparing(r -> String.valueOf(r.getMetadata().getCreationTimestamp()))
        .thenComparing(r -> r.getMetadata().getName()));
    return out;
  }

  /** One more than the highest revision number, 1 for none. */
  public static long nextRevision(List<ControllerRevision> revisions) {
    return revisions.stream().mapToLong(r -> r.getRevision() == null ? 0 : r.getRevision()).max().orElse(0) + 1;
  }

  /**
   * Stores the revision. If its name is taken by a revision with other data (a hash collision),
   * {@code onCollision} is told and the stage fails, so that the caller bumps the parent's
   * collisionCount and tries again; if taken by equal data, that revision is the answer.
   */
  public static CompletionStage<ControllerRevision> create(ApiWriter writer, ControllerRevision revision,
      java.util.function.Function<String, ControllerRevision> existingByName, Runnable onCollision) {
    return writer.create(revision).handle((created, e) -> {
      if (e == null) return CompletableFuture.completedFuture(created);
      Throwable c = ApiException.unwrap(e);
      if (c instanceof ApiException api && api.code == 409) {
        ControllerRevision existing = existingByName.apply(revision.getMetadata().getName());
        if (existing != null && equal(existing, revision)) return CompletableFuture.completedFuture(existing);
        onCollision.run();
      }
      return CompletableFuture.<ControllerRevision>failedFuture(c);
    }).thenCompose(f -> f);
  }
}
