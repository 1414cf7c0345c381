package io.kubeactor.controlplane.api.scheduling;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.kubeactor.controlplane.api.selector.LabelSelector.Operator;
import io.kubeactor.controlplane.api.selector.LabelSelector.Requirement;
import java.util.List;
import java.util.Map;

/**
 * Node selector terms matched against a node (component-helpers scheduling/corev1/nodeaffinity), for the scheduler and the controllers: terms are ORed, the
 * requirements of a term ANDed. matchExpressions test labels (In, NotIn, Exists, DoesNotExist, Gt,
 * Lt); matchFields test {@code metadata.name} (In, NotIn with one value). An empty term, or one
 * with a malformed requirement, matches no node.
 */
public final class NodeSelectors {
  private NodeSelectors() {}

  public static final String NODE_NAME_FIELD = "metadata.name";

  public static boolean anyMatches(List<NodeSelectorTerm> terms, Node node) {
    return terms != null && terms.stream().anyMatch(t -> matches(t, node));
  }

  public static boolean matches(NodeSelectorTerm term, Node node) {
    if (term == null) return false;
    List<NodeSelectorRequirement> expressions = nullSafe(term.getMatchExpressions());
    List<NodeSelectorRequirement> fields = nullSafe(term.getMatchFields());
    if (expressions.isEmpty() && fields.isEmpty()) return false;
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    for (NodeSelectorRequirement expression : expressions) {
      Requirement requirement = labelRequirement(expression);
      if (requirement == null || !requirement.matches(labels)) return false;
    }
    Map<String, String> nodeFields = Map.of(NODE_NAME_FIELD, node.getMetadata().getName());
    for (NodeSelectorRequirement field : fields) {
      if (!fieldMatches(field, nodeFields)) return false;
    }
    return true;
  }

  /** The label requirement, or null when malformed (nodeSelectorRequirementsAsSelector's errors). */
  private static Requirement labelRequirement(NodeSelectorRequirement expression) {
    List<String> values = nullSafe(expression.getValues());
    Operator operator;
    switch (Tolerations.text(expression.getOperator())) {
      case "In" -> operator = Operator.IN;
      case "NotIn" -> operator = Operator.NOT_IN;
      case "Exists" -> operator = Operator.EXISTS;
      case "DoesNotExist" -> operator = Operator.DOES_NOT_EXIST;
      case "Gt" -> operator = Operator.GREATER_THAN;
      case "Lt" -> operator = Operator.LESS_THAN;
      default -> {
        return null;
      }
    }
    boolean valuesFit = switch (operator) {
      case IN, NOT_IN -> !values.isEmpty();
      case EXISTS, DOES_NOT_EXIST -> values.isEmpty();
      default -> values.size() == 1 && isInteger(values.get(0));
    };
    return valuesFit ? new Requirement(Tolerations.text(expression.getKey()), operator, values) : null;
  }

  private static boolean fieldMatches(NodeSelectorRequirement field, Map<String, String> nodeFields) {
    List<String> values = nullSafe(field.getValues());
    if (values.size() != 1) return false;
    String actual = nodeFields.getOrDefault(Tolerations.text(field.getKey()), "");
    return switch (Tolerations.text(field.getOperator())) {
      case "In" -> actual.equals(values.get(0));
      case "NotIn" -> !actual.equals(values.get(0));
      default -> false;
    };
  }

  private static boolean isInteger(String s) {
    try {
      Long.parseLong(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
