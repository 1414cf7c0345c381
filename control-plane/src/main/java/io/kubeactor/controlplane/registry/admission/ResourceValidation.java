package io.kubeactor.controlplane.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Quantities;
import io.kubeactor.controlplane.api.Syntax;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A container's resources: names, quantities, and requests within limits (validateResourceRequirements). */
final class ResourceValidation {
  private ResourceValidation() {}

  private static final Set<String> CONTAINER_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage");
  private static final Set<String> STANDARD_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage", "requests.cpu",
      "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods",
      "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims",
      "requests.storage", "services.nodeports", "services.loadbalancers");
  private static final Set<String> QOS_RESOURCES = Set.of("cpu", "memory");

  static void containerResources(JsonNode resources, FieldPath path, FieldErrors errors) {
    FieldPath limitsPath = path.child("limits");
    FieldPath requestsPath = path.child("requests");
    JsonNode limits = resources.path("limits");
    JsonNode requests = resources.path("requests");
    boolean cpuOrMemory = false;
    boolean hugePages = false;
    for (var it = limits.fields(); it.hasNext(); ) {
      var e = it.next();
      resourceName(e.getKey(), limitsPath.key(e.getKey()), errors);
      quantity(e.getKey(), e.getValue().asText(), limitsPath.key(e.getKey()), errors);
      hugePages |= isHugePages(e.getKey());
      cpuOrMemory |= QOS_RESOURCES.contains(e.getKey());
    }
    for (var it = requests.fields(); it.hasNext(); ) {
      var e = it.next();
      String name = e.getKey();
      String text = e.getValue().asText();
      resourceName(name, requestsPath.key(name), errors);
      quantity(name, text, requestsPath.key(name), errors);
      Optional<BigDecimal> request = Quantities.value(text);
      JsonNode limitNode = limits.get(name);
      if (!Nodes.absent(limitNode)) {
        Optional<BigDecimal> limit = Quantities.value(limitNode.asText());
        if (request.isPresent() && limit.isPresent()) {
          int cmp = request.get().compareTo(limit.get());
          String limitText = Quantities.canonical(limitNode.asText());
          if (cmp != 0 && !overcommitAllowed(name)) {
            errors.invalid(requestsPath, Quantities.canonical(text), "must be equal to " + name + " limit of " + limitText);
          } else if (cmp > 0) {
            errors.invalid(requestsPath, Quantities.canonical(text), "must be less than or equal to " + name + " limit of " + limitText);
          }
        }
      } else if (!overcommitAllowed(name)) {
        errors.required(limitsPath, "Limit must be set for non overcommitable resources");
      }
      hugePages |= isHugePages(name);
      cpuOrMemory |= QOS_RESOURCES.contains(name);
    }
    if (hugePages && !cpuOrMemory) errors.forbidden(path, "HugePages require cpu or memory");
  }

  /** validateContainerResourceName; resource names print unquoted, being a Go Stringer. */
  private static void resourceName(String name, FieldPath path, FieldErrors errors) {
    GoValue.Literal value = new GoValue.Literal(name);
    List<String> msgs = Syntax.qualifiedName(name);
    if (!msgs.isEmpty()) {
      errors.invalidEach(path, value, msgs);
      return;
    }
    boolean prefixed = name.contains("/");
    if (!prefixed && !STANDARD_RESOURCES.contains(name) && !isHugePages(name)) {
      errors.invalid(path, value, "must be a standard resource type or fully qualified");
    }
    if (!prefixed) {
      if (!CONTAINER_RESOURCES.contains(name) && !isHugePages(name)) {
        errors.invalid(path, value, "must be a standard resource for containers");
      }
    } else if (!isNative(name) && !isExtended(name)) {
      errors.invalid(path, value, "doesn't follow extended resource name standard");
    }
  }

  private static void quantity(String name, String text, FieldPath path, FieldErrors errors) {
    Optional<BigDecimal> value = Quantities.value(text);
    if (value.isEmpty()) return;
    if (value.get().signum() < 0) errors.invalid(path, Quantities.canonical(text), Syntax.IS_NEGATIVE);
    if (isExtended(name) && value.get().stripTrailingZeros().scale() > 0) {
      errors.invalid(path, new GoValue.Literal(Quantities.canonical(text)), "must be an integer");
    }
  }

  private static boolean isHugePages(String name) {
    return name.startsWith("hugepages-");
  }

  private static boolean isNative(String name) {
    return !name.contains("/") || name.contains("kubernetes.io/");
  }

  private static boolean isExtended(String name) {
    if (isNative(name) || name.startsWith("requests.")) return false;
    return Syntax.qualifiedName("requests." + name).isEmpty();
  }

  private static boolean overcommitAllowed(String name) {
    return isNative(name) && !isHugePages(name);
  }
}
