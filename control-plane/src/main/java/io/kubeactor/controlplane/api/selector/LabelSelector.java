package io.kubeactor.controlplane.api.selector;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.controlplane.api.ApiException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A parsed label selector: requirements that must all hold, kept sorted by key as Kubernetes keeps
 * them (apimachinery pkg/labels/selector.go), so that {@link #toString()} is canonical.
 *
 * <p>Three kinds exist: the usual list of requirements, everything (no requirement) and nothing (a
 * nil {@code metav1.LabelSelector}, which selects no object at all).
 */
public final class LabelSelector {

  /** The relation between a key and values; {@code symbol} is how Kubernetes names it. */
  public enum Operator {
    IN("in"),
    NOT_IN("notin"),
    EQUALS("="),
    DOUBLE_EQUALS("=="),
    NOT_EQUALS("!="),
    GREATER_THAN("gt"),
    LESS_THAN("lt"),
    EXISTS("exists"),
    DOES_NOT_EXIST("!");

    public final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }
  }

  /** One condition on one label. Values keep their given order; they print sorted. */
  public record Requirement(String key, Operator operator, List<String> values) {

    public Requirement {
      values = List.copyOf(values);
    }

    /**
     * A checked requirement, as {@code labels.NewRequirement} builds it; a broken one fails with the
     * Go error text, which callers wrap in their own context.
     */
    static Requirement of(String key, Operator operator, List<String> values) {
      List<String> errors = new ArrayList<>();
      List<String> keyErrors = LabelRules.keyErrors(key);
      if (!keyErrors.isEmpty()) {
        errors.add(LabelRules.invalid("key", LabelRules.quote(key), String.join("; ", keyErrors)));
      }
      switch (operator) {
        case IN, NOT_IN -> {
          if (values.isEmpty()) {
            errors.add(LabelRules.invalid("values", LabelRules.goSlice(values),
                "for 'in', 'notin' operators, values set can't be empty"));
          }
        }
        case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
          if (values.size() != 1) {
            errors.add(LabelRules.invalid("values", LabelRules.goSlice(values),
                "exact-match compatibility requires one single value"));
          }
        }
        case EXISTS, DOES_NOT_EXIST -> {
          if (!values.isEmpty()) {
            errors.add(LabelRules.invalid("values", LabelRules.goSlice(values),
                "values set must be empty for exists and does not exist"));
          }
        }
        case GREATER_THAN, LESS_THAN -> {
          if (values.size() != 1) {
            errors.add(LabelRules.invalid("values", LabelRules.goSlice(values),
                "for 'Gt', 'Lt' operators, exactly one value is required"));
          }
          for (int i = 0; i < values.size(); i++) {
            if (parseInteger(values.get(i)) == null) {
              errors.add(LabelRules.invalid("values[" + i + "]", LabelRules.quote(values.get(i)),
                  "for 'Gt', 'Lt' operators, the value must be an integer"));
            }
          }
        }
      }
      for (int i = 0; i < values.size(); i++) {
        List<String> valueErrors = LabelRules.valueErrors(values.get(i));
        if (!valueErrors.isEmpty()) {
          errors.add(LabelRules.invalid("values[" + i + "][" + key + "]", LabelRules.quote(values.get(i)),
              String.join("; ", valueErrors)));
        }
      }
      if (!errors.isEmpty()) throw new InvalidSelector(LabelRules.aggregate(errors));
      return new Requirement(key, operator, values);
    }

    public boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      boolean present = labels.containsKey(key);
      return switch (operator) {
        case IN, EQUALS, DOUBLE_EQUALS -> present && values.contains(value);
        case NOT_IN, NOT_EQUALS -> !present || !values.contains(value);
        case EXISTS -> present;
        case DOES_NOT_EXIST -> !present;
        case GREATER_THAN, LESS_THAN -> {
          Long actual = present ? parseInteger(value) : null;
          Long bound = values.size() == 1 ? parseInteger(values.get(0)) : null;
          if (actual == null || bound == null) yield false;
          yield operator == Operator.GREATER_THAN ? actual > bound : actual < bound;
        }
      };
    }

    /** Kubernetes' form: "!key", "key", "key=v", "key in (a,b)". */
    @Override
    public String toString() {
      return switch (operator) {
        case EXISTS -> key;
        case DOES_NOT_EXIST -> "!" + key;
        case IN, NOT_IN -> key + " " + operator.symbol + " (" + sortedValues() + ")";
        case GREATER_THAN -> key + ">" + sortedValues();
        case LESS_THAN -> key + "<" + sortedValues();
        case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> key + operator.symbol + sortedValues();
      };
    }

    private String sortedValues() {
      return values.stream().sorted().collect(Collectors.joining(","));
    }

    private static Long parseInteger(String s) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  /** A selector that cannot be built; the message is Kubernetes' own. */
  static final class InvalidSelector extends RuntimeException {
    InvalidSelector(String message) {
      super(message, null, false, false);
    }
  }

  private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);
  private static final LabelSelector NOTHING = new LabelSelector(List.of(), true);

  private final List<Requirement> requirements;
  private final boolean nothing;

  private LabelSelector(List<Requirement> requirements, boolean nothing) {
    List<Requirement> sorted = new ArrayList<>(requirements);
    sorted.sort(Comparator.comparing(Requirement::key)); // stable, as Go's sort is for short lists
    this.requirements = List.copyOf(sorted);
    this.nothing = nothing;
  }

  public static LabelSelector everything() {
    return EVERYTHING;
  }

  public static LabelSelector nothing() {
    return NOTHING;
  }

  /**
   * Parses the query-string form ({@code ?labelSelector=}): "app=web,tier!=db,env in (a,b),x notin
   * (c),has,!gone", also "==", "&gt;" and "&lt;". An empty string selects everything.
   *
   * @throws ApiException BadRequest with Kubernetes' message, e.g. "unable to parse requirement: ..."
   */
  public static LabelSelector parse(String text) {
    if (text == null || text.isEmpty()) return EVERYTHING;
    try {
      return new LabelSelector(new LabelSelectorParser(text).parse(), false);
    } catch (InvalidSelector e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  /**
   * From a {@code metav1.LabelSelector} JSON object (matchLabels and matchExpressions with In,
   * NotIn, Exists, DoesNotExist), as in a Deployment's spec.selector. A null or missing node selects
   * nothing, an empty object everything.
   *
   * @throws ApiException BadRequest with Kubernetes' message when a key, value or operator is invalid
   */
  public static LabelSelector fromJson(JsonNode selector) {
    if (selector == null || selector.isNull() || selector.isMissingNode()) return NOTHING;
    JsonNode matchLabels = selector.path("matchLabels");
    JsonNode matchExpressions = selector.path("matchExpressions");
    if (matchLabels.size() + matchExpressions.size() == 0) return EVERYTHING;
    List<Requirement> requirements = new ArrayList<>();
    try {
      // Sorted, so that an error names the same label every time.
      for (Map.Entry<String, String> label : new TreeMap<>(labelMap(matchLabels)).entrySet()) {
        requirements.add(Requirement.of(label.getKey(), Operator.EQUALS, List.of(label.getValue())));
      }
      for (JsonNode expression : matchExpressions) {
        String op = expression.path("operator").asText();
        Operator operator = switch (op) {
          case "In" -> Operator.IN;
          case "NotIn" -> Operator.NOT_IN;
          case "Exists" -> Operator.EXISTS;
          case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
          default -> throw new InvalidSelector(LabelRules.quote(op) + " is not a valid pod selector operator");
        };
        List<String> values = new ArrayList<>();
        expression.path("values").forEach(v -> values.add(v.asText()));
        requirements.add(Requirement.of(expression.path("key").asText(), operator, values));
      }
    } catch (InvalidSelector e) {
      throw ApiException.badRequest(e.getMessage());
    }
    return new LabelSelector(requirements, false);
  }

  /**
   * Every label of the map must be present with that value, as a Service's or
   * ReplicationController's map selector; an empty map selects everything.
   */
  public static LabelSelector fromMap(Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) return EVERYTHING;
    List<Requirement> requirements = new ArrayList<>();
    labels.forEach((key, value) -> requirements.add(new Requirement(key, Operator.EQUALS, List.of(value))));
    return new LabelSelector(requirements, false);
  }

  /** Whether an object with these labels (a metadata.labels object; null or missing = none) matches. */
  public boolean matches(JsonNode labels) {
    return matches(labels == null ? Map.of() : labelMap(labels));
  }

  public boolean matches(Map<String, String> labels) {
    if (nothing) return false;
    Map<String, String> present = labels == null ? Map.of() : labels;
    return requirements.stream().allMatch(r -> r.matches(present));
  }

  /** True when the selector does not restrict anything; a nothing-selector is not empty. */
  public boolean isEverything() {
    return !nothing && requirements.isEmpty();
  }

  public boolean isNothing() {
    return nothing;
  }

  public List<Requirement> requirements() {
    return requirements;
  }

  /** Kubernetes' canonical string ("app=web,env in (a,b)"); empty for everything and nothing. */
  @Override
  public String toString() {
    return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelSelector other && nothing == other.nothing && requirements.equals(other.requirements);
  }

  @Override
  public int hashCode() {
    return requirements.hashCode() * 31 + Boolean.hashCode(nothing);
  }

  private static Map<String, String> labelMap(JsonNode object) {
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
    }
    return out;
  }
}
