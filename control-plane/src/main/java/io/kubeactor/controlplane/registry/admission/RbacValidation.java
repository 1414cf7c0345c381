package io.kubeactor.controlplane.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.Syntax;
import java.util.List;

/**
 * Roles, ClusterRoles, RoleBindings and ClusterRoleBindings as pkg/apis/rbac/validation of
 * Kubernetes v1.32 checks them (their names, as path segments, are the strategies' name rule),
 * and the defaults of pkg/apis/rbac/v1/defaults.go.
 */
public final class RbacValidation {
  private RbacValidation() {}

  public static final String GROUP = "rbac.authorization.k8s.io";
  private static final FieldPath RULES = FieldPath.root("rules");
  private static final FieldPath ROLE_REF = FieldPath.root("roleRef");
  private static final FieldPath SUBJECTS = FieldPath.root("subjects");

  /** SetDefaults_RoleRef and SetDefaults_Subject: the RBAC group for a roleRef, a User's and a Group's. */
  public static void defaultBinding(ObjectNode binding) {
    JsonNode roleRef = binding.get("roleRef");
    if (roleRef instanceof ObjectNode ref && Nodes.text(ref, "apiGroup").isEmpty()) ref.put("apiGroup", GROUP);
    for (ObjectNode subject : Nodes.objects(binding, "subjects")) {
      String kind = Nodes.text(subject, "kind");
      if (Nodes.text(subject, "apiGroup").isEmpty() && (kind.equals("User") || kind.equals("Group"))) {
        subject.put("apiGroup", GROUP);
      }
    }
  }

  /** ValidateRole: each rule, which may not name non-resource URLs. */
  public static void role(JsonNode role, FieldErrors errors) {
    rules(role, true, errors);
  }

  /** ValidateClusterRole: each rule, and an aggregationRule's selectors. */
  public static void clusterRole(JsonNode clusterRole, FieldErrors errors) {
    rules(clusterRole, false, errors);
    JsonNode aggregation = clusterRole.get("aggregationRule");
    if (Nodes.absent(aggregation)) return;
    FieldPath selectorsPath = FieldPath.root("aggregationRule").child("clusterRoleSelectors");
    List<ObjectNode> selectors = Nodes.objects(aggregation, "clusterRoleSelectors");
    if (selectors.isEmpty()) {
      errors.required(selectorsPath, "at least one clusterRoleSelector required if aggregationRule is non-nil");
    }
    for (int i = 0; i < selectors.size(); i++) LabelSelectors.validate(selectors.get(i), selectorsPath.index(i), errors);
  }

  private static void rules(JsonNode role, boolean namespaced, FieldErrors errors) {
    List<ObjectNode> rules = Nodes.objects(role, "rules");
    for (int i = 0; i < rules.size(); i++) policyRule(rules.get(i), namespaced, RULES.index(i), errors);
  }

  /** ValidatePolicyRule. */
  static void policyRule(JsonNode rule, boolean namespaced, FieldPath path, FieldErrors errors) {
    if (Nodes.size(rule, "verbs") == 0) errors.required(path.child("verbs"), "verbs must contain at least one value");
    if (Nodes.size(rule, "nonResourceURLs") > 0) {
      GoValue.Literal urls = GoValue.stringSlice(rule.get("nonResourceURLs"));
      if (namespaced) {
        errors.invalid(path.child("nonResourceURLs"), urls, "namespaced rules cannot apply to non-resource URLs");
      }
      if (Nodes.size(rule, "apiGroups") > 0 || Nodes.size(rule, "resources") > 0 || Nodes.size(rule, "resourceNames") > 0) {
        errors.invalid(path.child("nonResourceURLs"), urls, "rules cannot apply to both regular resources and non-resource URLs");
      }
      return;
    }
    if (Nodes.size(rule, "apiGroups") == 0) {
      errors.required(path.child("apiGroups"), "resource rules must supply at least one api group");
    }
    if (Nodes.size(rule, "resources") == 0) {
      errors.required(path.child("resources"), "resource rules must supply at least one resource");
    }
  }

  /** ValidateRoleBinding: a roleRef to a Role or ClusterRole of the RBAC group, and each subject. */
  public static void roleBinding(JsonNode binding, FieldErrors errors) {
    binding(binding, List.of("Role", "ClusterRole"), true, errors);
  }

  /** ValidateClusterRoleBinding: a roleRef to a ClusterRole, and subjects whose ServiceAccounts name their namespace. */
  public static void clusterRoleBinding(JsonNode binding, FieldErrors errors) {
    binding(binding, List.of("ClusterRole"), false, errors);
  }

  /** ValidateRoleBindingUpdate and ValidateClusterRoleBindingUpdate: the roleRef is fixed. */
  public static void bindingUpdate(JsonNode binding, JsonNode old, FieldErrors errors) {
    JsonNode ref = binding.path("roleRef");
    JsonNode oldRef = old.path("roleRef");
    if (!Nodes.text(ref, "apiGroup").equals(Nodes.text(oldRef, "apiGroup")) || !Nodes.text(ref, "kind").equals(Nodes.text(oldRef, "kind"))
        || !Nodes.text(ref, "name").equals(Nodes.text(oldRef, "name"))) {
      errors.invalid(ROLE_REF, new GoValue.Literal("rbac.RoleRef{APIGroup:" + GoValue.quote(Nodes.text(ref, "apiGroup"))
          + ", Kind:" + GoValue.quote(Nodes.text(ref, "kind")) + ", Name:" + GoValue.quote(Nodes.text(ref, "name")) + "}"),
          "cannot change roleRef");
    }
  }

  private static void binding(JsonNode binding, List<String> kinds, boolean namespaced, FieldErrors errors) {
    JsonNode ref = binding.path("roleRef");
    String apiGroup = Nodes.text(ref, "apiGroup");
    if (!apiGroup.equals(GROUP)) errors.notSupported(ROLE_REF.child("apiGroup"), apiGroup, List.of(GROUP));
    String kind = Nodes.text(ref, "kind");
    if (!kinds.contains(kind)) errors.notSupported(ROLE_REF.child("kind"), kind, kinds);
    String name = Nodes.text(ref, "name");
    if (name.isEmpty()) errors.required(ROLE_REF.child("name"), "");
    else errors.invalidEach(ROLE_REF.child("name"), name, Syntax.pathSegmentName(name, false));
    List<ObjectNode> subjects = Nodes.objects(binding, "subjects");
    for (int i = 0; i < subjects.size(); i++) subject(subjects.get(i), namespaced, SUBJECTS.index(i), errors);
  }

  /** ValidateRoleBindingSubject. */
  private static void subject(JsonNode subject, boolean namespaced, FieldPath path, FieldErrors errors) {
    String name = Nodes.text(subject, "name");
    String apiGroup = Nodes.text(subject, "apiGroup");
    if (name.isEmpty()) errors.required(path.child("name"), "");
    switch (Nodes.text(subject, "kind")) {
      case "ServiceAccount" -> {
        if (!name.isEmpty()) errors.invalidEach(path.child("name"), name, Syntax.dns1123Subdomain(name));
        if (!apiGroup.isEmpty()) errors.notSupported(path.child("apiGroup"), apiGroup, List.of(""));
        if (!namespaced && Nodes.text(subject, "namespace").isEmpty()) errors.required(path.child("namespace"), "");
      }
      case "User", "Group" -> {
        if (!apiGroup.equals(GROUP)) errors.notSupported(path.child("apiGroup"), apiGroup, List.of(GROUP));
      }
      default -> errors.notSupported(path.child("kind"), Nodes.text(subject, "kind"), List.of("ServiceAccount", "User", "Group"));
    }
  }
}
