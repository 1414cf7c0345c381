package io.kubeactor.controlplane.security.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.WriteGuard;
import io.kubeactor.controlplane.registry.decoding.GoStrings;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import io.kubeactor.controlplane.security.authorization.Authorizer;
import io.kubeactor.controlplane.security.authorization.RuleResolver;
import java.util.ArrayList;
import java.util.List;

/**
 * RBAC's escalation and bind checks (pkg/registry/rbac/escalation_check.go and the policy-based
 * storage of roles, clusterroles, rolebindings and clusterrolebindings): a user may write a role
 * only with rules it holds itself, or with the {@code escalate} verb on it; may bind a role only if
 * it holds all of the role's rules, or has the {@code bind} verb on it. system:masters (and so the
 * control plane's own writer) passes; so does a change of only the owner references and finalizers.
 */
public final class RbacEscalationCheck implements WriteGuard {

  static final String GROUP = "rbac.authorization.k8s.io";

  /** What the aggregationRule of a ClusterRole requires: everything (fullAuthority). */
  private static final List<PolicyRule> FULL_AUTHORITY = List.of(
      PolicyRules.rule(List.of("*"), List.of("*"), List.of("*"), List.of(), List.of()),
      PolicyRules.rule(List.of(), List.of(), List.of("*"), List.of(), List.of("*")));

  private final Authorizer authorizer;
  private final RbacAuthorizer rbac;

  /**
   * @param authorizer the API server's authorizer chain, asked for the {@code escalate} and {@code bind} verbs
   * @param rbac whose rules the user holds, and the rules a binding's role grants
   */
  public RbacEscalationCheck(Authorizer authorizer, RbacAuthorizer rbac) {
    this.authorizer = authorizer;
    this.rbac = rbac;
  }

  @Override
  public void check(ResourceType type, ObjectNode object, ObjectNode old, UserInfo user) {
    if (!type.group().equals(GROUP) || user == null || user.inGroup(UserInfo.SYSTEM_MASTERS)) return;
    if (old != null && onlyGarbageCollectionFieldsChange(object, old)) return;
    JsonNode meta = object.path("metadata");
    String name = meta.path("name").asText("");
    String namespace = type.namespaced() ? meta.path("namespace").asText("") : "";
    switch (type.kind()) {
      case "Role" -> {
        if (escalateAuthorized(user, type, namespace, name)) return;
        confirmNoEscalation(type, name, user, namespace, Json.fromTree(object, Role.class).getRules());
      }
      case "ClusterRole" -> {
        if (escalateAuthorized(user, type, namespace, name)) return;
        confirmNoEscalation(type, name, user, namespace, Json.fromTree(object, ClusterRole.class).getRules());
        boolean aggregates = hasAggregationRule(object) || (old != null && hasAggregationRule(old));
        if (aggregates && !PolicyRules.uncovered(rbac.rulesFor(user, namespace).rules(), FULL_AUTHORITY).isEmpty()) {
          throw forbidden(type, name, "must have cluster-admin privileges to use the aggregationRule");
        }
      }
      case "RoleBinding", "ClusterRoleBinding" -> {
        RoleRef ref = Json.fromTree(object.path("roleRef"), RoleRef.class);
        if (bindAuthorized(user, ref, namespace)) return;
        // an unsupported kind is left to validation, which answers it with a 422
        if (!"Role".equals(ref.getKind()) && !"ClusterRole".equals(ref.getKind())) return;
        List<PolicyRule> rules = rbac.roleReferenceRules(ref, namespace, new ArrayList<>());
        if (rules == null) {
          // the registry's getter answers here, not the authorizer's lister: a 404 with the plural resource
          throw ApiException.notFound(GROUP, "Role".equals(ref.getKind()) ? "roles" : "clusterroles", ref.getName());
        }
        confirmNoEscalation(type, name, user, namespace, rules);
      }
      default -> { }
    }
  }

  /** RoleEscalationAuthorized: the escalate verb on the role being written. */
  private boolean escalateAuthorized(UserInfo user, ResourceType type, String namespace, String name) {
    return authorizer.authorize(new Attributes(user, "escalate", true, GROUP, "*", type.plural(), "", namespace, name, ""))
        .allowed();
  }

  /** BindingAuthorized: the bind verb on the referenced role, in the binding's namespace ("" for a ClusterRoleBinding). */
  private boolean bindAuthorized(UserInfo user, RoleRef ref, String namespace) {
    String resource = switch (ref.getKind() == null ? "" : ref.getKind()) {
      case "ClusterRole" -> "clusterroles";
      case "Role" -> "roles";
      default -> null;
    };
    if (resource == null) return false;
    String group = ref.getApiGroup() == null || ref.getApiGroup().isEmpty() ? GROUP : ref.getApiGroup();
    return authorizer.authorize(Attributes.resource(user, "bind", group, resource, "", namespace, ref.getName())).allowed();
  }

  /** ConfirmNoEscalation: the user's rules in the namespace cover the ones it grants, else 403 naming what is missing. */
  private void confirmNoEscalation(ResourceType type, String name, UserInfo user, String namespace, List<PolicyRule> granted) {
    RuleResolver.Rules held = rbac.rulesFor(user, namespace);
    List<PolicyRule> missing = PolicyRules.uncovered(held.rules(), granted == null ? List.of() : granted);
    if (missing.isEmpty()) return;
    String message = "user " + GoStrings.quote(user.name()) + " (groups=" + PolicyRules.goStrings(user.groups())
        + ") is attempting to grant RBAC permissions not currently held:\n" + String.join("\n", PolicyRules.describe(missing));
    if (held.incomplete()) message += "; resolution errors: [" + RbacAuthorizer.aggregate(held.errors()) + "]";
    throw forbidden(type, name, message);
  }

  /** errors.NewForbidden: {@code clusterroles.rbac.authorization.k8s.io "x" is forbidden: ...}. */
  private static ApiException forbidden(ResourceType type, String name, String why) {
    String subject = name.isEmpty() ? type.qualifiedResource() : type.qualifiedResource() + " " + GoStrings.quote(name);
    return new ApiException(403, "Forbidden", subject + " is forbidden: " + why, GROUP, type.plural(), name, null);
  }

  /** hasAggregationRule: an aggregationRule with at least one selector. */
  private static boolean hasAggregationRule(JsonNode role) {
    JsonNode selectors = role.path("aggregationRule").path("clusterRoleSelectors");
    return selectors.isArray() && !selectors.isEmpty();
  }

  /** IsOnlyMutatingGCFields: the change is to the owner references or finalizers alone. */
  static boolean onlyGarbageCollectionFieldsChange(ObjectNode object, ObjectNode old) {
    ObjectNode a = withoutVolatileMetadata(object);
    ObjectNode b = withoutVolatileMetadata(old);
    return a.equals(b);
  }

  private static ObjectNode withoutVolatileMetadata(ObjectNode o) {
    ObjectNode copy = o.deepCopy();
    ObjectNode meta = copy.withObjectProperty("metadata");
    for (String field : List.of("ownerReferences", "finalizers", "resourceVersion", "managedFields")) meta.remove(field);
    return copy;
  }
}
