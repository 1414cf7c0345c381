package io.kubeactor.controlplane.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.controlplane.api.Syntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * metadata of every object (apimachinery/pkg/api/validation/objectmeta.go and the finalizer rules
 * of pkg/apis/core/validation).
 */
public final class MetadataValidation {
  private MetadataValidation() {}

  static final FieldPath METADATA = FieldPath.root("metadata");
  private static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
  private static final Set<String> STANDARD_FINALIZERS = Set.of("kubernetes", "orphan", "foregroundDeletion");

  /** ValidateObjectMeta, before the server generates a name from generateName. */
  public static void create(JsonNode meta, boolean namespaced, Syntax.NameRule nameRule, FieldErrors errors) {
    String generateName = Nodes.text(meta, "generateName");
    String name = Nodes.text(meta, "name");
    if (!generateName.isEmpty()) {
      errors.invalidEach(METADATA.child("generateName"), generateName, nameRule.check(generateName, true));
    }
    if (name.isEmpty()) {
      if (generateName.isEmpty()) errors.required(METADATA.child("name"), "name or generateName is required");
    } else {
      errors.invalidEach(METADATA.child("name"), name, nameRule.check(name, false));
    }
    String namespace = Nodes.text(meta, "namespace");
    if (namespaced) {
      if (namespace.isEmpty()) {
        errors.required(METADATA.child("namespace"), "");
      } else {
        errors.invalidEach(METADATA.child("namespace"), namespace, Syntax.NameRule.DNS1123_LABEL.check(namespace, false));
      }
    } else if (!namespace.isEmpty()) {
      errors.forbidden(METADATA.child("namespace"), "not allowed on this type");
    }
    common(meta, errors);
  }

  /** ValidateObjectMetaUpdate: what may not change, and the rules of create that still apply. */
  public static void update(JsonNode meta, JsonNode oldMeta, FieldErrors errors) {
    if (Nodes.has(oldMeta, "deletionTimestamp")) {
      Set<String> added = new TreeSet<>(strings(meta.get("finalizers")));
      added.removeAll(strings(oldMeta.get("finalizers")));
      if (!added.isEmpty()) {
        errors.forbidden(METADATA.child("finalizers"), "no new finalizers can be added if the object is being deleted, found new finalizers "
            + GoValue.stringSlice(new ArrayList<>(added)));
      }
    }
    for (String field : List.of("name", "namespace", "uid")) {
      String now = Nodes.text(meta, field);
      String before = Nodes.text(oldMeta, field);
      // An update that leaves uid out keeps the stored one (rest.BeforeUpdate fills it in).
      if (field.equals("uid") && now.isEmpty()) continue;
      if (!now.equals(before)) errors.invalid(METADATA.child(field), now, Syntax.FIELD_IMMUTABLE);
    }
    common(meta, errors);
  }

  private static void common(JsonNode meta, FieldErrors errors) {
    if (Nodes.number(meta, "generation") < 0) {
      errors.invalid(METADATA.child("generation"), Nodes.number(meta, "generation"), Syntax.IS_NEGATIVE);
    }
    labels(meta.get("labels"), METADATA.child("labels"), errors);
    annotations(meta.get("annotations"), METADATA.child("annotations"), errors);
    ownerReferences(meta, errors);
    finalizers(meta, errors);
  }

  /** ValidateLabels: each key a qualified name, each value a label value; errors on the map's path. */
  static void labels(JsonNode labels, FieldPath path, FieldErrors errors) {
    if (Nodes.absent(labels)) return;
    labels.fields().forEachRemaining(e -> {
      errors.invalidEach(path, e.getKey(), Syntax.qualifiedName(e.getKey()));
      String value = e.getValue().asText();
      errors.invalidEach(path, value, Syntax.labelValue(value));
    });
  }

  static void annotations(JsonNode annotations, FieldPath path, FieldErrors errors) {
    if (Nodes.absent(annotations)) return;
    long total = 0;
    for (var it = annotations.fields(); it.hasNext(); ) {
      var e = it.next();
      // Case does not matter in annotation keys.
      errors.invalidEach(path, e.getKey(), Syntax.qualifiedName(e.getKey().toLowerCase()));
      total += Syntax.length(e.getKey()) + Syntax.length(e.getValue().asText());
    }
    if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errors.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT);
  }

  private static void ownerReferences(JsonNode meta, FieldErrors errors) {
    ownerReferences(meta, METADATA, errors);
  }

  /**
   * A pod template's owner references, wherever an object has one. Stricter than kube-apiserver,
   * which leaves them unchecked: an empty one is stored there and then breaks the clients that read
   * it (the Python client refuses to list it).
   */
  public static void templateOwnerReferences(JsonNode object, FieldErrors errors) {
    JsonNode templateMeta = object.path("spec").path("template").path("metadata");
    if (templateMeta.has("ownerReferences")) {
      ownerReferences(templateMeta, FieldPath.root("spec").child("template").child("metadata"), errors);
    }
  }

  /** The owner references of an object's metadata, or of a template's ({@code at} its metadata). */
  static void ownerReferences(JsonNode meta, FieldPath at, FieldErrors errors) {
    FieldPath path = at.child("ownerReferences");
    for (JsonNode ref : Nodes.objects(meta, "ownerReferences")) {
      String apiVersion = Nodes.text(ref, "apiVersion");
      String[] groupVersion = apiVersion.split("/", -1);
      String version = groupVersion.length == 1 ? groupVersion[0] : groupVersion.length == 2 ? groupVersion[1] : "";
      if (version.isEmpty()) errors.invalid(path.child("apiVersion"), apiVersion, "version must not be empty");
      for (String field : List.of("kind", "name", "uid")) {
        if (Nodes.text(ref, field).isEmpty()) errors.invalid(path.child(field), "", "must not be empty");
      }
    }
    List<String> controllers = new ArrayList<>();
    for (JsonNode ref : Nodes.objects(meta, "ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) controllers.add(Nodes.text(ref, "kind") + "/" + Nodes.text(ref, "name"));
    }
    for (int i = 1; i < controllers.size(); i++) {
      errors.invalid(path, GoValue.ownerReferences(meta.get("ownerReferences")),
          "Only one reference can have Controller set to true. Found \"true\" in references for "
              + controllers.get(0) + " and " + controllers.get(i));
    }
  }

  private static void finalizers(JsonNode meta, FieldErrors errors) {
    FieldPath path = METADATA.child("finalizers");
    List<String> finalizers = strings(meta.get("finalizers"));
    for (String finalizer : finalizers) errors.invalidEach(path, finalizer, Syntax.qualifiedName(finalizer));
    if (finalizers.contains("orphan") && finalizers.contains("foregroundDeletion")) {
      errors.invalid(path, GoValue.stringSlice(finalizers), "finalizer orphan and foregroundDeletion cannot be both set");
    }
    for (int i = 0; i < finalizers.size(); i++) standardFinalizer(finalizers.get(i), path.index(i), errors);
  }

  /** Names without a domain must be one of the built-in finalizers (validateKubeFinalizerName). */
  static void standardFinalizer(String finalizer, FieldPath path, FieldErrors errors) {
    if (!finalizer.contains("/") && !STANDARD_FINALIZERS.contains(finalizer)) {
      errors.invalid(path, finalizer, "name is neither a standard finalizer name nor is it fully qualified");
    }
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (!Nodes.absent(array)) array.forEach(v -> out.add(v.asText()));
    return out;
  }
}
