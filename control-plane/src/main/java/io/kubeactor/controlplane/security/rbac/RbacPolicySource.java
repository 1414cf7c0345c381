package io.kubeactor.controlplane.security.rbac;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.util.List;

/**
 * The RBAC objects the authorizer reads on every request (upstream's role, cluster role and
 * binding listers): typed objects from a cache, never converted per request, the bindings looked
 * up by subject. Implementations must be thread-safe; {@link InformerPolicySource} reads the
 * control plane's informers.
 */
public interface RbacPolicySource {

  /** The ClusterRoleBindings that may name the user: any superset will do, the authorizer checks each subject. */
  List<ClusterRoleBinding> clusterRoleBindings(UserInfo user);

  /** The RoleBindings of one namespace that may name the user (again, any superset). */
  List<RoleBinding> roleBindings(String namespace, UserInfo user);

  /** The Role, or null. */
  Role role(String namespace, String name);

  /** The ClusterRole, or null. */
  ClusterRole clusterRole(String name);
}
