package io.kubeactor.controlplane.security.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** RBAC objects written as YAML in a test, served as a {@link RbacPolicySource} (every binding, whoever asks). */
final class PolicyObjects implements RbacPolicySource {

  private final List<Role> roles = new ArrayList<>();
  private final List<ClusterRole> clusterRoles = new ArrayList<>();
  private final List<RoleBinding> roleBindings = new ArrayList<>();
  private final List<ClusterRoleBinding> clusterRoleBindings = new ArrayList<>();

  /** Adds the objects of a YAML stream ("---" between them), each with its kind. */
  PolicyObjects add(String yaml) {
    for (String doc : yaml.split("(?m)^---$")) {
      if (doc.isBlank()) continue;
      HasMetadata o = parse(doc);
      if (o instanceof Role r) roles.add(r);
      else if (o instanceof ClusterRole r) clusterRoles.add(r);
      else if (o instanceof RoleBinding b) roleBindings.add(b);
      else if (o instanceof ClusterRoleBinding b) clusterRoleBindings.add(b);
    }
    return this;
  }

  private static HasMetadata parse(String doc) {
    try {
      var tree = Json.YAML.readTree(doc);
      Class<? extends HasMetadata> model = switch (tree.path("kind").asText()) {
        case "Role" -> Role.class;
        case "ClusterRole" -> ClusterRole.class;
        case "RoleBinding" -> RoleBinding.class;
        case "ClusterRoleBinding" -> ClusterRoleBinding.class;
        default -> throw new IllegalArgumentException("not an RBAC kind: " + tree.path("kind"));
      };
      return Json.fromTree(tree, model);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public List<ClusterRoleBinding> clusterRoleBindings(UserInfo user) {
    return clusterRoleBindings;
  }

  @Override
  public List<RoleBinding> roleBindings(String namespace, UserInfo user) {
    return roleBindings.stream().filter(b -> namespace.equals(b.getMetadata().getNamespace())).toList();
  }

  @Override
  public Role role(String namespace, String name) {
    return roles.stream().filter(r -> Objects.equals(namespace, r.getMetadata().getNamespace())
        && name.equals(r.getMetadata().getName())).findFirst().orElse(null);
  }

  @Override
  public ClusterRole clusterRole(String name) {
    return clusterRoles.stream().filter(r -> name.equals(r.getMetadata().getName())).findFirst().orElse(null);
  }
}
