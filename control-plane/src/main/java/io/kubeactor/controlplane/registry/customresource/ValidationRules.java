package io.kubeactor.controlplane.registry.customresource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.kubeactor.controlplane.api.apiextensions.StructuralSchema;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.FieldPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A CRD schema's validation rules ({@code x-kubernetes-validations}) in CEL, evaluated as
 * apiextensions does (pkg/apiserver/schema/cel): each rule of a node sees the node's value as
 * {@code self} and, when it names {@code oldSelf} (a transition rule), the value the object had
 * there before; transition rules run only on updates where the old value can be found (through
 * properties, map values and the items of list-type map lists), unless {@code optionalOldSelf}. A
 * failure is worded as upstream's: the rule's {@code message}, its {@code messageExpression}'s
 * result, or {@code failed rule: <rule>}, on the node's path (or {@code fieldPath} below it), with
 * the node's type as the value ({@code spec: Invalid value: "object": failed rule: ...}).
 *
 * <p>The environment is Google's CEL with the standard macros and the strings, sets, lists, math,
 * encoders, bindings, regex and optional extensions, numbers of different types comparable (as
 * Kubernetes' CrossTypeNumericComparisons). Kubernetes' own libraries (quantity, url, ip, cidr,
 * format, semver, the lists library's isSorted/sum) are not there: a rule that uses one does not
 * compile, and the CRD is refused with the compiler's message. There is no cost budget.
 */
public final class ValidationRules {
  private ValidationRules() {}

  private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");

  private static final Cel CEL = CelFactory.standardCelBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true).enableOptionalSyntax(true).build())
      .addVar("self", SimpleType.DYN)
      .addVar("oldSelf", SimpleType.DYN)
      .addCompilerLibraries(CelExtensions.strings(), CelExtensions.sets(CelOptions.DEFAULT), CelExtensions.math(CelOptions.DEFAULT),
          CelExtensions.encoders(), CelExtensions.bindings(), CelExtensions.optional(), CelExtensions.regex())
      .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.sets(CelOptions.DEFAULT), CelExtensions.math(CelOptions.DEFAULT),
          CelExtensions.encoders(), CelExtensions.optional(), CelExtensions.regex())
      .build();

  /** Each rule text's program (or its compile error), made once. */
  private static final Map<String, Compiled> PROGRAMS = new ConcurrentHashMap<>();

  private record Compiled(CelRuntime.Program program, String error) {}

  private static Compiled compiled(String rule) {
    return PROGRAMS.computeIfAbsent(rule, r -> {
      try {
        CelAbstractSyntaxTree ast = CEL.compile(r).getAst();
        return new Compiled(CEL.createProgram(ast), null);
      } catch (CelValidationException e) {
        return new Compiled(null, e.getMessage());
      } catch (dev.cel.common.CelException e) {
        return new Compiled(null, e.getMessage());
      }
    });
  }

  /** Why a rule does not compile, or empty: the CRD's validation refuses it ("compilation failed: ..."). */
  public static Optional<String> compileError(String rule) {
    return Optional.ofNullable(compiled(rule).error());
  }

  /** Whether any node of the schema has validation rules. */
  static boolean any(StructuralSchema s) {
    if (s == null) return false;
    if (s.raw().path("x-kubernetes-validations").size() > 0) return true;
    return s.properties().values().stream().anyMatch(ValidationRules::any) || any(s.additionalProperties()) || any(s.items());
  }

  /** Runs every rule of the schema over the object ({@code old} null on create). */
  static void validate(JsonNode object, JsonNode old, StructuralSchema schema, FieldErrors errors) {
    node(object, old, schema, "", true, errors);
  }

  private static void node(JsonNode value, JsonNode old, StructuralSchema s, String path, boolean root, FieldErrors errors) {
    if (s == null || value == null || value.isNull() || value.isMissingNode()) return;
    for (JsonNode rule : s.raw().path("x-kubernetes-validations")) rule(rule, value, old, s, path, root, errors);
    if (value.isObject()) {
      value.properties().forEach(f -> {
        StructuralSchema child = s.properties().get(f.getKey());
        if (child == null) child = s.additionalProperties();
        JsonNode oldChild = old == null || !old.isObject() ? null : old.get(f.getKey());
        node(f.getValue(), oldChild, child, path.isEmpty() ? f.getKey() : path + "." + f.getKey(), false, errors);
      });
    } else if (value.isArray() && s.items() != null) {
      for (int i = 0; i < value.size(); i++) {
        JsonNode item = value.get(i);
        node(item, correlated(item, old, s), s.items(), path + "[" + i + "]", false, errors);
      }
    }
  }

  /** The old item of a list-type map list with the same keys; atomic and set lists cannot be correlated. */
  private static JsonNode correlated(JsonNode item, JsonNode oldList, StructuralSchema list) {
    if (oldList == null || !oldList.isArray() || !list.listType().equals("map")) return null;
    for (JsonNode candidate : oldList) {
      boolean same = true;
      for (String key : list.listMapKeys()) same &= item.path(key).equals(candidate.path(key));
      if (same) return candidate;
    }
    return null;
  }

  private static void rule(JsonNode rule, JsonNode value, JsonNode old, StructuralSchema s, String path, boolean root,
      FieldErrors errors) {
    String text = rule.path("rule").asText("");
    boolean transition = OLD_SELF.matcher(text).find();
    boolean optionalOld = rule.path("optionalOldSelf").asBoolean(false);
    if (transition && old == null && !optionalOld) return;
    String at = path + rule.path("fieldPath").asText("");
    FieldPath field = new FieldPath(at.isEmpty() ? "<nil>" : at.startsWith(".") ? at.substring(1) : at);
    String type = s.type().isEmpty() ? "object" : s.type();
    Compiled compiled = compiled(text);
    if (compiled.error() != null) {
      errors.invalid(field, type, "rule compile error: " + compiled.error());
      return;
    }
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("self", root ? rootSelf(value) : cel(value));
    if (transition) vars.put("oldSelf", old == null ? Optional.empty() : cel(old));
    Object result;
    try {
      result = compiled.program().eval(vars);
    } catch (CelEvaluationException e) {
      errors.invalid(field, type, e.getMessage() + " evaluating rule: " + text);
      return;
    }
    if (Boolean.TRUE.equals(result)) return;
    String message = message(rule, vars, text);
    switch (rule.path("reason").asText("FieldValueInvalid")) {
      case "FieldValueForbidden" -> errors.forbidden(field, message);
      case "FieldValueRequired" -> errors.required(field, message);
      case "FieldValueDuplicate" -> errors.duplicate(field, type, message);
      default -> errors.invalid(field, type, message);
    }
  }

  /** The rule's message: its messageExpression's result if that gives a non-empty string, its message, or the rule. */
  private static String message(JsonNode rule, Map<String, Object> vars, String text) {
    String expression = rule.path("messageExpression").asText("");
    if (!expression.isEmpty()) {
      Compiled compiled = compiled(expression);
      if (compiled.error() == null) {
        try {
          Object out = compiled.program().eval(vars);
          if (out instanceof String s && !s.isBlank() && !s.contains("\n")) return s;
        } catch (CelEvaluationException e) {
          // as upstream: a failing messageExpression falls back to the message or the rule
        }
      }
    }
    String message = rule.path("message").asText("");
    return message.isEmpty() ? "failed rule: " + text.strip() : message;
  }

  /** At the root, self is the object's apiVersion, kind, metadata.name and generateName, and the rest. */
  private static Object rootSelf(JsonNode object) {
    @SuppressWarnings("unchecked")
    Map<String, Object> self = (Map<String, Object>) cel(object);
    JsonNode meta = object.path("metadata");
    Map<String, Object> visible = new LinkedHashMap<>();
    if (meta.has("name")) visible.put("name", meta.get("name").asText());
    if (meta.has("generateName")) visible.put("generateName", meta.get("generateName").asText());
    self.put("metadata", visible);
    return self;
  }

  /** A JSON value as CEL's Java values: maps, lists, Long, Double, String, Boolean, null. */
  static Object cel(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      n.properties().forEach(e -> map.put(e.getKey(), cel(e.getValue())));
      return map;
    }
    if (n.isArray()) {
      List<Object> list = new ArrayList<>(n.size());
      n.forEach(item -> list.add(cel(item)));
      return list;
    }
    if (n.isIntegralNumber()) return n.asLong();
    if (n.isNumber()) return n.asDouble();
    if (n.isBoolean()) return n.asBoolean();
    if (n.isTextual()) return n.textValue();
    return NullValue.NULL_VALUE;
  }
}
