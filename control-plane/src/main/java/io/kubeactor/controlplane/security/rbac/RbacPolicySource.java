package io.kubeactor.controlplane.security.rbac;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;

/**
 * The RBAC objects the authorizer reads on every request (upstream's role, cluster role and
 * binding listers): typed objects from a cache, never converted per request. Implementations must
 * be thread-safe; {@link InformerPolicySource} reads the control plane's informers.
 */
public interface RbacPolicySource {

  List<ClusterRoleBinding> clusterRoleBindings();

  /** The RoleBindings of one namespace. */
  List<RoleBinding> roleBindings(String namespace);

  /** The Role, or null. */
  Role role(String namespace, String name);

  /** The ClusterRole, or null. */
  ClusterRole clusterRole(String name);
}
