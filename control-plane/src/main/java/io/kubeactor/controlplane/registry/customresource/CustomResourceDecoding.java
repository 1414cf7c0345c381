package io.kubeactor.controlplane.registry.customresource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.apiextensions.CustomResource;
import io.kubeactor.controlplane.registry.decoding.TypedDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * How a custom resource is decoded, as kube-apiserver's CRD handler does: the body is any JSON
 * object, its metadata decodes into ObjectMeta, and what its schema does not specify is pruned,
 * which strict field validation reports as unknown fields; then the schema's defaults apply.
 */
public final class CustomResourceDecoding {
  private CustomResourceDecoding() {}

  /** What decoding finds: an ObjectMeta that does not decode stops it; the unknown fields are strict problems. */
  public static TypedDecoder.Outcome check(JsonNode body, CustomResource custom) {
    if (!body.isObject()) {
      return new TypedDecoder.Outcome("json: cannot unmarshal " + body.getNodeType().name().toLowerCase()
          + " into Go value of type map[string]interface {}", List.of());
    }
    TypedDecoder.Outcome meta = TypedDecoder.check(typeMeta(body), TypeAndObjectMeta.class);
    if (!meta.decodes()) return meta;
    List<String> problems = new ArrayList<>(meta.strictProblems());
    SchemaPruning.unknownFields(body, custom.schema()).forEach(p -> problems.add("unknown field \"" + p + "\""));
    return new TypedDecoder.Outcome(null, List.copyOf(problems));
  }

  /** Prunes and defaults a body that decodes, in place: what is stored. */
  public static void normalize(ObjectNode body, CustomResource custom) {
    ObjectNode meta = typeMeta(body);
    TypedDecoder.normalize(meta, TypeAndObjectMeta.class);
    if (meta.has("metadata")) body.set("metadata", meta.get("metadata"));
    SchemaPruning.prune(body, custom.schema());
    SchemaDefaulting.apply(body, custom.schema());
  }

  /** What of a custom resource has Go types (TypeMeta and ObjectMeta); the rest is its schema's. */
  static final class TypeAndObjectMeta {
    @JsonProperty public String apiVersion;
    @JsonProperty public String kind;
    @JsonProperty public ObjectMeta metadata;
  }

  /** apiVersion, kind and metadata: the part every kind shares. */
  private static ObjectNode typeMeta(JsonNode body) {
    ObjectNode out = Json.object();
    for (String f : new String[] {"apiVersion", "kind", "metadata"}) {
      if (body.has(f)) out.set(f, body.get(f));
    }
    return out;
  }
}
