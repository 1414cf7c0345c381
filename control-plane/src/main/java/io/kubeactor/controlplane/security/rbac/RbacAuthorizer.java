package io.kubeactor.controlplane.security.rbac;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.kubeactor.controlplane.registry.decoding.GoStrings;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import io.kubeactor.controlplane.security.authorization.Authorizer;
import io.kubeactor.controlplane.security.authorization.RuleResolver;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * The RBAC authorizer (plugin/pkg/auth/authorizer/rbac/rbac.go over
 * pkg/registry/rbac/validation/rule.go's DefaultRuleResolver): the rules of the ClusterRoleBindings
 * whose subjects name the user, then those of the RoleBindings of the request's namespace, until
 * one allows the request. RBAC never denies: without an allowing rule it has no opinion, and says
 * why when a binding names a missing role.
 */
public final class RbacAuthorizer implements Authorizer, RuleResolver {

  private final RbacPolicySource policy;

  public RbacAuthorizer(RbacPolicySource policy) {
    this.policy = policy;
  }

  @Override
  public Decision authorize(Attributes request) {
    List<String> errors = new ArrayList<>();
    String[] allowedBy = new String[1];
    visitRulesFor(request.user(), request.namespace(), (source, rule, error) -> {
      if (error != null) {
        errors.add(error);
        return true;
      }
      if (PolicyRules.allows(request, rule)) {
        allowedBy[0] = source.get();
        return false;
      }
      return true;
    });
    if (allowedBy[0] != null) return Decision.allow("RBAC: allowed by " + allowedBy[0]);
    return Decision.noOpinion(errors.isEmpty() ? "" : "RBAC: " + aggregate(errors));
  }

  @Override
  public Rules rulesFor(UserInfo user, String namespace) {
    List<PolicyRule> rules = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    visitRulesFor(user, namespace, (source, rule, error) -> {
      if (error != null) errors.add(error);
      else rules.add(rule);
      return true;
    });
    return new Rules(rules, errors);
  }

  /**
   * The rules of a binding's roleRef (GetRoleReferenceRules): a Role of the binding's namespace or
   * a ClusterRole; null with the lister's NotFound wording in {@code errors} when it is missing.
   */
  List<PolicyRule> roleReferenceRules(RoleRef ref, String bindingNamespace, List<String> errors) {
    switch (ref.getKind() == null ? "" : ref.getKind()) {
      case "Role" -> {
        Role role = policy.role(bindingNamespace, ref.getName());
        if (role != null) return rulesOf(role.getRules());
        errors.add("role.rbac.authorization.k8s.io " + GoStrings.quote(ref.getName()) + " not found");
      }
      case "ClusterRole" -> {
        ClusterRole role = policy.clusterRole(ref.getName());
        if (role != null) return rulesOf(role.getRules());
        errors.add("clusterrole.rbac.authorization.k8s.io " + GoStrings.quote(ref.getName()) + " not found");
      }
      default -> errors.add("unsupported role reference kind: " + GoStrings.quote(ref.getKind() == null ? "" : ref.getKind()));
    }
    return null;
  }

  private static List<PolicyRule> rulesOf(List<PolicyRule> rules) {
    return rules == null ? List.of() : rules;
  }

  /** Sees a rule with a description of where it comes from, or an error; false stops the walk. */
  private interface RuleVisitor {
    boolean visit(Supplier<String> source, PolicyRule rule, String error);
  }

  /** VisitRulesFor: ClusterRoleBindings first, then the namespace's RoleBindings. */
  private void visitRulesFor(UserInfo user, String namespace, RuleVisitor visitor) {
    for (ClusterRoleBinding binding : policy.clusterRoleBindings(user)) {
      Subject subject = subjectFor(user, binding.getSubjects(), "");
      if (subject == null) continue;
      if (!visitBinding(binding.getRoleRef(), "", visitor, () -> "ClusterRoleBinding "
          + GoStrings.quote(binding.getMetadata().getName()) + " of " + describeRef(binding.getRoleRef()) + " to "
          + describeSubject(subject, ""))) {
        return;
      }
    }
    if (namespace == null || namespace.isEmpty()) return;
    for (RoleBinding binding : policy.roleBindings(namespace, user)) {
      Subject subject = subjectFor(user, binding.getSubjects(), namespace);
      if (subject == null) continue;
      // upstream names a RoleBinding "name/namespace" here
      if (!visitBinding(binding.getRoleRef(), namespace, visitor, () -> "RoleBinding "
          + GoStrings.quote(binding.getMetadata().getName() + "/" + namespace) + " of " + describeRef(binding.getRoleRef())
          + " to " + describeSubject(subject, namespace))) {
        return;
      }
    }
  }

  private boolean visitBinding(RoleRef ref, String namespace, RuleVisitor visitor, Supplier<String> source) {
    List<String> errors = new ArrayList<>(1);
    List<PolicyRule> rules = roleReferenceRules(ref, namespace, errors);
    if (rules == null) return visitor.visit(null, null, errors.get(0));
    for (PolicyRule rule : rules) {
      if (!visitor.visit(source, rule, null)) return false;
    }
    return true;
  }

  private static String describeRef(RoleRef ref) {
    return ref.getKind() + " " + GoStrings.quote(ref.getName());
  }

  private static String describeSubject(Subject s, String bindingNamespace) {
    if ("ServiceAccount".equals(s.getKind())) {
      String ns = s.getNamespace() == null || s.getNamespace().isEmpty() ? bindingNamespace : s.getNamespace();
      return s.getKind() + " " + GoStrings.quote(s.getName() + "/" + ns);
    }
    return s.getKind() + " " + GoStrings.quote(s.getName());
  }

  /** appliesTo: the first subject that names the user, or null. */
  private static Subject subjectFor(UserInfo user, List<Subject> subjects, String namespace) {
    if (subjects == null) return null;
    for (Subject s : subjects) if (appliesTo(user, s, namespace)) return s;
    return null;
  }

  /** appliesToUser: a User by name, a Group by membership, a ServiceAccount by its user name (namespace defaulted to the binding's). */
  static boolean appliesTo(UserInfo user, Subject subject, String namespace) {
    String kind = subject.getKind() == null ? "" : subject.getKind();
    if (subject.getName() == null) return false;
    switch (kind) {
      case "User":
        return user.name().equals(subject.getName());
      case "Group":
        return user.groups().contains(subject.getName());
      case "ServiceAccount":
        String ns = subject.getNamespace() == null || subject.getNamespace().isEmpty() ? namespace : subject.getNamespace();
        if (ns == null || ns.isEmpty()) return false;
        // serviceaccount.MatchesUsername: "system:serviceaccount:<ns>:<name>", compared without building it
        String name = user.name();
        String prefix = SubjectKeys.SERVICE_ACCOUNT_PREFIX;
        return name.length() == prefix.length() + ns.length() + 1 + subject.getName().length()
            && name.startsWith(prefix) && name.startsWith(ns, prefix.length())
            && name.charAt(prefix.length() + ns.length()) == ':' && name.endsWith(subject.getName());
      default:
        return false;
    }
  }

  /** utilerrors.NewAggregate's message: one error as is, several distinct ones in brackets. */
  static String aggregate(List<String> errors) {
    LinkedHashSet<String> distinct = new LinkedHashSet<>(errors);
    return distinct.size() == 1 ? distinct.iterator().next() : "[" + String.join(", ", distinct) + "]";
  }
}
