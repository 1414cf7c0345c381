package io.kubeactor.controlplane.registry.fieldmanager;

import com.fasterxml.jackson.databind.JavaType;
import io.fabric8.kubernetes.api.model.ConfigMapEnvSource;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.SecretEnvSource;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.TypedLocalObjectReference;
import io.kubeactor.controlplane.api.ModelSchema;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.apiextensions.StructuralSchema;
import io.kubeactor.controlplane.registry.patch.PatchStrategies;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The apply schema of a kind, built once per kind: for built-in kinds from the fabric8 model and the
 * merge keys strategic merge patch uses (kube-openapi converts patch strategies the same way), for
 * custom resources from the CRD version's structural schema ({@code x-kubernetes-list-type},
 * {@code x-kubernetes-list-map-keys}, {@code x-kubernetes-map-type}).
 */
final class Schemas {
  private Schemas() {}

  /**
   * Fields of metadata the API server sets, that no manager owns: apimachinery's stripmeta, and the
   * deletion markers, which upstream's deletion sets without a field manager.
   */
  private static final Set<String> SYSTEM_METADATA = Set.of("name", "namespace", "creationTimestamp", "selfLink", "uid",
      "clusterName", "generation", "managedFields", "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds");

  /** Structs tagged {@code +structType=atomic} (or {@code x-kubernetes-map-type: atomic}): replaced whole by an apply. */
  private static final Set<Class<?>> ATOMIC_STRUCTS = Set.of(LabelSelector.class, NodeSelector.class,
      NodeSelectorTerm.class, ObjectReference.class, LocalObjectReference.class, TypedLocalObjectReference.class,
      ConfigMapKeySelector.class, SecretKeySelector.class, ObjectFieldSelector.class, ResourceFieldSelector.class,
      ConfigMapEnvSource.class, SecretEnvSource.class);

  /** Lists whose {@code x-kubernetes-list-map-keys} are more than their patch merge key. */
  private static final Map<Class<?>, Map<String, List<String>>> LIST_MAP_KEYS = Map.of(
      Container.class, Map.of("ports", List.of("containerPort", "protocol")),
      EphemeralContainer.class, Map.of("ports", List.of("containerPort", "protocol")),
      ServiceSpec.class, Map.of("ports", List.of("port", "protocol")));

  private static final Map<JavaType, Schema> BUILT_IN = new ConcurrentHashMap<>();
  private static final Map<StructuralSchema, Schema> CUSTOM = new WeakHashMap<>();
  private static final Map<Class<?>, Schema> ROOTS = new ConcurrentHashMap<>();

  /** The schema of an object of this kind, its system fields ignored. */
  static Schema of(ResourceType t) {
    if (t.isCustom()) {
      synchronized (CUSTOM) {
        return CUSTOM.computeIfAbsent(t.custom().schema(), s -> root(custom(s)));
      }
    }
    Class<?> model = t.model() == null ? Object.class : t.model();
    return ROOTS.computeIfAbsent(model, m -> root(m == Object.class ? Schema.UNTYPED : builtIn(ModelSchema.type(m))));
  }

  private static Schema root(Schema object) {
    Schema metadata = metadata();
    return new Schema.Struct(name -> switch (name) {
      case "apiVersion", "kind" -> Schema.IGNORED;
      case "metadata" -> metadata;
      default -> Schema.fieldOf(object, name);
    }, false);
  }

  private static Schema metadata() {
    Schema meta = builtIn(ModelSchema.type(ObjectMeta.class));
    return new Schema.Struct(name -> SYSTEM_METADATA.contains(name) ? Schema.IGNORED : Schema.fieldOf(meta, name), false);
  }

  static Schema builtIn(JavaType type) {
    if (type == null) return Schema.UNTYPED;
    Schema known = BUILT_IN.get(type);
    if (known != null) return known;
    Schema s;
    if (ModelSchema.isObject(type)) {
      s = new Schema.Struct(name -> {
        JavaType field = ModelSchema.property(type, name);
        return field == null ? null : builtInField(type, name, field);
      }, ATOMIC_STRUCTS.contains(type.getRawClass()));
    } else if (type.isMapLikeType()) {
      s = new Schema.MapOf(builtIn(type.getContentType()), false);
    } else if (type.isCollectionLikeType() || type.isArrayType()) {
      s = new Schema.ListOf(builtIn(type.getContentType()), Schema.ListType.ATOMIC, List.of());
    } else {
      Class<?> c = type.getRawClass();
      s = c == Object.class || c.getName().startsWith("com.fasterxml") ? Schema.UNTYPED : Schema.SCALAR;
    }
    BUILT_IN.putIfAbsent(type, s);
    return BUILT_IN.get(type);
  }

  private static Schema builtInField(JavaType owner, String name, JavaType field) {
    if (!field.isCollectionLikeType()) return builtIn(field);
    Schema items = builtIn(field.getContentType());
    List<String> keys = LIST_MAP_KEYS.getOrDefault(owner.getRawClass(), Map.of()).get(name);
    if (keys != null) return new Schema.ListOf(items, Schema.ListType.MAP, keys);
    return PatchStrategies.mergeKey(owner, name)
        .map(key -> key.isEmpty()
            ? new Schema.ListOf(items, Schema.ListType.SET, List.of())
            : new Schema.ListOf(items, Schema.ListType.MAP, List.of(key)))
        .orElseGet(() -> new Schema.ListOf(items, Schema.ListType.ATOMIC, List.of()));
  }

  static Schema custom(StructuralSchema s) {
    if (s == null || s.intOrString()) return s == null ? Schema.UNTYPED : Schema.SCALAR;
    boolean atomic = "atomic".equals(s.raw().path("x-kubernetes-map-type").asText());
    switch (s.type() == null ? "" : s.type()) {
      case "object" -> {
        if (!s.properties().isEmpty()) {
          Map<String, StructuralSchema> properties = s.properties();
          return new Schema.Struct(name -> properties.containsKey(name) ? custom(properties.get(name)) : null, atomic);
        }
        if (s.additionalProperties() != null) return new Schema.MapOf(custom(s.additionalProperties()), atomic);
        return Schema.UNTYPED;
      }
      case "array" -> {
        Schema items = custom(s.items());
        String listType = s.listType() == null ? "atomic" : s.listType();
        return switch (listType) {
          case "set" -> new Schema.ListOf(items, Schema.ListType.SET, List.of());
          case "map" -> new Schema.ListOf(items, Schema.ListType.MAP, s.listMapKeys());
          default -> new Schema.ListOf(items, Schema.ListType.ATOMIC, List.of());
        };
      }
      case "" -> {
        return s.preservesUnknownFields() ? Schema.UNTYPED : Schema.SCALAR;
      }
      default -> {
        return Schema.SCALAR;
      }
    }
  }
}
