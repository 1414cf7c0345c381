package io.kubeactor.controlplane.security.rbac;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.client.Informers;
import java.util.List;

/** The RBAC objects as the control plane's shared informers hold them (kube-apiserver's RBAC authorizer reads its informers too). */
public final class InformerPolicySource implements RbacPolicySource {

  private final Informer<Role> roles;
  private final Informer<ClusterRole> clusterRoles;
  private final Informer<RoleBinding> roleBindings;
  private final Informer<ClusterRoleBinding> clusterRoleBindings;

  public InformerPolicySource(Informers informers) {
    this.roles = informers.of(Role.class);
    this.clusterRoles = informers.of(ClusterRole.class);
    this.roleBindings = informers.of(RoleBinding.class);
    this.clusterRoleBindings = informers.of(ClusterRoleBinding.class);
  }

  @Override
  public List<ClusterRoleBinding> clusterRoleBindings() {
    return clusterRoleBindings.list();
  }

  @Override
  public List<RoleBinding> roleBindings(String namespace) {
    return roleBindings.list(namespace);
  }

  @Override
  public Role role(String namespace, String name) {
    return roles.get(namespace, name);
  }

  @Override
  public ClusterRole clusterRole(String name) {
    return clusterRoles.get(null, name);
  }
}
