package io.kubeactor.controlplane.e2e.fuzz;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Decodes a stored object into its fabric8 class as strictly as Go decodes it into its Go type: no
 * unknown fields (fabric8's catch-all {@code additionalProperties} is switched off), no scalar
 * coercion ("3" is no integer, 3 no string, 1.5 no int), integers within their Java type's range.
 * An object that fails here is one a typed client cannot read.
 */
public final class StrictModel {
  private StrictModel() {}

  private static final ObjectMapper MAPPER = strictMapper();

  private static ObjectMapper strictMapper() {
    JsonMapper mapper = JsonMapper.builder()
        .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .annotationIntrospector(new JacksonAnnotationIntrospector() {
          // fabric8 models keep unknown fields in a map: with no any-setter they are unknown again, but
          // in FieldsV1 (managedFields' sets, raw JSON in Go), which fabric8 keeps only in that map
          @Override
          public Boolean hasAnySetter(Annotated a) {
            boolean fieldsV1 = a instanceof com.fasterxml.jackson.databind.introspect.AnnotatedMember m
                && m.getDeclaringClass() == io.fabric8.kubernetes.api.model.FieldsV1.class;
            return fieldsV1 ? super.hasAnySetter(a) : Boolean.FALSE;
          }
        })
        .build();
    for (LogicalType t : new LogicalType[] {LogicalType.Textual, LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
      var coercion = mapper.coercionConfigFor(t);
      for (CoercionInputShape shape : CoercionInputShape.values()) {
        if (!accepts(t, shape)) coercion.setCoercion(shape, CoercionAction.Fail);
      }
    }
    return mapper;
  }

  private static boolean accepts(LogicalType t, CoercionInputShape shape) {
    return switch (t) {
      case Textual -> shape == CoercionInputShape.String || shape == CoercionInputShape.EmptyString;
      case Integer -> shape == CoercionInputShape.Integer;
      case Float -> shape == CoercionInputShape.Float || shape == CoercionInputShape.Integer;
      case Boolean -> shape == CoercionInputShape.Boolean;
      default -> true;
    };
  }

  /** Null when the object decodes, else why it does not. */
  public static String problem(JsonNode object, Class<?> model) {
    try {
      MAPPER.treeToValue(object, model);
      return null;
    } catch (Exception e) {
      String m = String.valueOf(e.getMessage());
      return e.getClass().getSimpleName() + ": " + m.substring(0, Math.min(300, m.length()));
    }
  }
}
