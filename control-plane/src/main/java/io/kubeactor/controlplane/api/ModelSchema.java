package io.kubeactor.controlplane.api;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpec;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.runtime.RawExtension;
import io.kubeactor.common.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The shape of the API types, read from the fabric8 model classes through Jackson's own bean
 * introspection: which JSON properties an object has and of what type. One source for strict field
 * validation, strategic-merge-patch merge keys and the OpenAPI schemas.
 */
public final class ModelSchema {
  private ModelSchema() {}

  private static final Map<JavaType, Map<String, JavaType>> CACHE = new ConcurrentHashMap<>();

  public static JavaType type(Class<?> model) {
    return Json.MAPPER.constructType(model);
  }

  /** The JSON properties of an object type, by name, in declaration order; empty for scalars. */
  public static Map<String, JavaType> properties(JavaType type) {
    if (!isObject(type)) return Map.of();
    return CACHE.computeIfAbsent(type, t -> {
      BeanDescription d = Json.MAPPER.getSerializationConfig().introspect(t);
      Map<String, JavaType> props = new LinkedHashMap<>();
      for (BeanPropertyDefinition p : d.findProperties()) {
        if (p.getPrimaryType() != null) props.put(p.getName(), p.getPrimaryType());
      }
      return Collections.unmodifiableMap(props);
    });
  }

  /** The type of one property of an object type, or null when the object has no such property. */
  public static JavaType property(JavaType owner, String name) {
    return properties(owner).get(name);
  }

  /** The element type of a list or the value type of a map; null for anything else. */
  public static JavaType contentType(JavaType type) {
    return type.isContainerType() ? type.getContentType() : null;
  }

  /**
   * Whether a property holds a metav1.Time, which fabric8 types as a plain string: their names give
   * them away.
   */
  public static boolean isTimeField(String name) {
    return name.endsWith("Time") || name.endsWith("Timestamp") || name.equals("time")
        || name.equals("startedAt") || name.equals("finishedAt");
  }

  /** Whether a property of a model holds Go []byte values (base64 in JSON), which fabric8 types as strings. */
  public static boolean isBytesField(Class<?> owner, String name) {
    return (owner == Secret.class && name.equals("data"))
        || (owner == ConfigMap.class && name.equals("binaryData"))
        || (owner == CertificateSigningRequestSpec.class && name.equals("request"))
        || (owner == CertificateSigningRequestStatus.class && name.equals("certificate"));
  }

  /**
   * The name of the Go package a model class stands for, as Go prints it before a type name: its
   * version ("v1", "v2"); fabric8 leaves the version out of some packages, all of them v1.
   */
  public static String goPackage(Class<?> model) {
    String pkg = model.getPackageName();
    String last = pkg.substring(pkg.lastIndexOf('.') + 1);
    if (last.equals("runtime")) return "runtime";
    return VERSION.matcher(last).matches() ? last : "v1";
  }

  private static final Pattern VERSION = Pattern.compile("v\\d+((alpha|beta)\\d+)?");

  /**
   * An object with named properties of its own (a model class), as opposed to a scalar, a list, a
   * map, or a value type that is written as a scalar (Quantity, IntOrString) or as free-form JSON.
   */
  public static boolean isObject(JavaType type) {
    Class<?> c = type.getRawClass();
    if (type.isContainerType() || type.isPrimitive() || c.isEnum()) return false;
    if (c == IntOrString.class || c == Quantity.class || c == RawExtension.class) return false;
    if (c == Object.class || c.getName().startsWith("java.")) return false;
    return true;
  }
}
