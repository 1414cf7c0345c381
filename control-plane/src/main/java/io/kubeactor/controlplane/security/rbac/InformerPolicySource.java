package io.kubeactor.controlplane.security.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.client.Informers;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The RBAC objects as the control plane's shared informers hold them (kube-apiserver's RBAC
 * authorizer reads its informers too), with the bindings indexed by subject: a request reads the
 * few bindings that name its user or groups, not all of them.
 */
public final class InformerPolicySource implements RbacPolicySource {

  private static final String BY_SUBJECT = "rbac.subject";

  private final Informers informers;
  /** The four informers, made on first use (see {@link #policy}); null until then. */
  private volatile Policy policy;

  private record Policy(Informer<Role> roles, Informer<ClusterRole> clusterRoles, Informer<RoleBinding> roleBindings,
      Informer<ClusterRoleBinding> clusterRoleBindings) {}

  public InformerPolicySource(Informers informers) {
    this.informers = informers;
  }

  /**
   * The informers, made by the first request authorized or by the bootstrap policy's reconcile
   * (which reads them too), whichever comes first: not by the control plane's start, which would
   * wait meanwhile for a few hundred objects decoded by classes not used before (0.17 s).
   */
  private Policy policy() {
    Policy p = policy;
    if (p != null) return p;
    synchronized (this) {
      if (policy == null) {
        Informer<RoleBinding> roleBindings = informers.of(RoleBinding.class);
        Informer<ClusterRoleBinding> clusterRoleBindings = informers.of(ClusterRoleBinding.class);
        clusterRoleBindings.addIndex(BY_SUBJECT, b -> SubjectKeys.of(b.getSubjects(), ""));
        // a RoleBinding's keys carry its namespace: it applies there only
        roleBindings.addIndex(BY_SUBJECT, b -> SubjectKeys.of(b.getSubjects(), b.getMetadata().getNamespace()).stream()
            .map(k -> b.getMetadata().getNamespace() + "/" + k).toList());
        policy = new Policy(informers.of(Role.class), informers.of(ClusterRole.class), roleBindings, clusterRoleBindings);
      }
      return policy;
    }
  }

  @Override
  public List<ClusterRoleBinding> clusterRoleBindings(UserInfo user) {
    return lookup(policy().clusterRoleBindings(), SubjectKeys.of(user), "");
  }

  @Override
  public List<RoleBinding> roleBindings(String namespace, UserInfo user) {
    return lookup(policy().roleBindings(), SubjectKeys.of(user), namespace + "/");
  }

  /** The bindings filed under any of the keys, each once (a user may be named as a user and through groups). */
  private static <T extends HasMetadata> List<T> lookup(Informer<T> informer, List<String> keys, String prefix) {
    Set<T> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<T> out = new ArrayList<>();
    for (String key : keys) {
      for (T binding : informer.byIndex(BY_SUBJECT, prefix + key)) if (seen.add(binding)) out.add(binding);
    }
    return out;
  }

  @Override
  public Role role(String namespace, String name) {
    return policy().roles().get(namespace, name);
  }

  @Override
  public ClusterRole clusterRole(String name) {
    return policy().clusterRoles().get(null, name);
  }
}
