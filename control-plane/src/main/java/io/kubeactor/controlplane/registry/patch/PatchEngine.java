package io.kubeactor.controlplane.registry.patch;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.CompatibilityFlags;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ModelSchema;
import io.kubeactor.controlplane.registry.decoding.GoStrings;
import java.util.EnumSet;
import java.util.List;

/** Applies the body of a PATCH request to the live object, for each patch type Kubernetes accepts. */
public final class PatchEngine {
  private PatchEngine() {}

  public static final String JSON_PATCH = "application/json-patch+json";
  public static final String MERGE_PATCH = "application/merge-patch+json";
  public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  public static final String APPLY_PATCH = "application/apply-patch+yaml";

  /** In the order the API server lists them when it refuses another type. */
  public static final List<String> PATCH_TYPES = List.of(JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH);

  /**
   * Applies a PATCH body to the live object and returns the patched copy; {@code live} is not
   * modified. {@code model} is the fabric8 class of the object's kind: its types give the merge
   * keys of a strategic merge patch. {@code patch} is the parsed body (YAML already read as JSON for
   * an apply patch).
   *
   * @throws ApiException 415 UnsupportedMediaType for another content type; 400 BadRequest for a
   *     malformed patch; 422 Invalid for one that cannot apply (a failed json-patch test, a missing
   *     path, a list element without its merge key)
   */
  public static ObjectNode apply(String contentType, ObjectNode live, JsonNode patch, Class<?> model) {
    return apply(contentType, live, patch, model, true);
  }

  /** The patch types a custom resource takes: its schema gives no merge keys for a strategic merge patch. */
  public static final List<String> CUSTOM_RESOURCE_PATCH_TYPES = List.of(JSON_PATCH, MERGE_PATCH, APPLY_PATCH);

  /**
   * {@link #apply(String, ObjectNode, JsonNode, Class)} of an object that may not take a strategic
   * merge patch (a custom resource, {@code strategic} false): that is a 415 too, as kube-apiserver's.
   */
  public static ObjectNode apply(String contentType, ObjectNode live, JsonNode patch, Class<?> model, boolean strategic) {
    if (!strategic && mediaType(contentType).equals(STRATEGIC_MERGE_PATCH)) {
      throw PatchFailures.unsupportedMediaType(CUSTOM_RESOURCE_PATCH_TYPES);
    }
    return switch (mediaType(contentType)) {
      case JSON_PATCH -> jsonPatch(live, patch);
      case MERGE_PATCH -> {
        if (!patch.isObject()) throw PatchFailures.malformed("Invalid JSON Patch");
        yield StrategicMerge.jsonMergePatch(live, (ObjectNode) patch);
      }
      case STRATEGIC_MERGE_PATCH -> {
        if (patch.isNull()) yield live.deepCopy();
        if (!patch.isObject()) throw PatchFailures.malformed(cannotUnmarshal(patch, "map[string]interface {}"));
        yield StrategicMerge.strategicMergePatch(live, (ObjectNode) patch, modelType(model));
      }
      // Objects are applied by the Registry's FieldManager, with field ownership. What still comes
      // here is an apply to a Scale, which is merged over the live Scale with strategic-merge
      // semantics: a Scale has no field that is not a scalar.
      case APPLY_PATCH -> {
        if (!patch.isObject()) {
          throw PatchFailures.malformed("error decoding YAML: error unmarshaling JSON: while decoding JSON: "
              + cannotUnmarshal(patch, "map[string]interface {}"));
        }
        yield StrategicMerge.strategicMergePatch(live, (ObjectNode) patch, modelType(model));
      }
      default -> throw PatchFailures.unsupportedMediaType(PATCH_TYPES);
    };
  }

  /** RFC 6902. As Kubernetes' json-patch, removing or replacing a missing path fails. */
  private static ObjectNode jsonPatch(ObjectNode live, JsonNode patch) {
    if (patch.isNull()) return live.deepCopy();
    if (!patch.isArray()) throw PatchFailures.malformed(cannotUnmarshal(patch, "jsonpatch.Patch"));
    JsonNode patched;
    try {
      patched = JsonPatch.apply(patch, live, EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT));
    } catch (JsonPatchException | IllegalArgumentException e) {
      throw PatchFailures.notApplicable();
    }
    if (!patched.isObject()) throw PatchFailures.notApplicable();
    return (ObjectNode) patched;
  }

  /** The media type of a Content-Type header, without parameters such as charset. */
  private static String mediaType(String contentType) {
    if (contentType == null) return "";
    int parameters = contentType.indexOf(';');
    return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim();
  }

  private static JavaType modelType(Class<?> model) {
    return model == null ? null : ModelSchema.type(model);
  }

  /** Go's encoding/json error for a body of the wrong JSON type. */
  private static String cannotUnmarshal(JsonNode body, String goTarget) {
    return "json: cannot unmarshal " + GoStrings.jsonKind(body) + " into Go value of type " + goTarget;
  }
}
