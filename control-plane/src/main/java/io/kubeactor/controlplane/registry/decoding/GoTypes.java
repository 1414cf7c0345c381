package io.kubeactor.controlplane.registry.decoding;

import com.fasterxml.jackson.databind.JavaType;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubeactor.controlplane.api.ModelSchema;
import java.math.BigInteger;

/**
 * The Go type a fabric8 model type stands for, as Go's reflect prints it in decoding errors:
 * {@code int32}, {@code map[string]string}, {@code []v1.Container}, {@code v1.ObjectMeta}.
 */
final class GoTypes {
  private GoTypes() {}

  static String name(JavaType type, Class<?> owner, String field) {
    Class<?> c = type.getRawClass();
    if (type.isMapLikeType()) {
      // core/v1's ResourceList is a named map type
      if (type.getContentType().getRawClass() == Quantity.class) return "v1.ResourceList";
      return "map[string]" + name(type.getContentType(), owner, field);
    }
    if (type.isCollectionLikeType() || type.isArrayType()) return "[]" + name(type.getContentType(), owner, field);
    if (c == Integer.class || c == int.class || c == Short.class || c == short.class) return "int32";
    if (c == Long.class || c == long.class || c == BigInteger.class) return "int64";
    if (c == Double.class || c == double.class) return "float64";
    if (c == Float.class || c == float.class) return "float32";
    if (c == Boolean.class || c == boolean.class) return "bool";
    if (c == Quantity.class) return "resource.Quantity";
    if (c == IntOrString.class) return "intstr.IntOrString";
    if (c == String.class) return stringType(owner, field);
    if (ModelSchema.isObject(type)) return ModelSchema.goPackage(c) + "." + c.getSimpleName();
    return "interface {}";
  }

  /**
   * Go's string-like types. Kubernetes names many of its strings (v1.Protocol, v1.PullPolicy), which
   * fabric8 does not record; only the UIDs, met in every object's metadata, are told apart here.
   */
  private static String stringType(Class<?> owner, String field) {
    if (field == null) return "string";
    if (ModelSchema.isBytesField(owner, field)) return "[]uint8";
    if (ModelSchema.isTimeField(field)) return "v1.Time";
    if (field.equals("uid")) return "types.UID";
    return "string";
  }
}
