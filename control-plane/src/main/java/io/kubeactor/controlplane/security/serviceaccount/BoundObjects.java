package io.kubeactor.controlplane.security.serviceaccount;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.kubeactor.controlplane.client.Informers;
import java.util.Optional;

/**
 * Reads of the objects a token names (pkg/serviceaccount/jwt.go ServiceAccountTokenGetter): the
 * ServiceAccount, and the pod, secret or node it is bound to. Empty when the object does not exist.
 */
public interface BoundObjects {

  Optional<ServiceAccount> serviceAccount(String namespace, String name);

  Optional<Pod> pod(String namespace, String name);

  Optional<Secret> secret(String namespace, String name);

  Optional<Node> node(String name);

  /** The objects as the control plane's shared informers hold them, as kube-apiserver reads them from its caches. */
  static BoundObjects of(Informers informers) {
    var accounts = informers.of(ServiceAccount.class);
    var pods = informers.of(Pod.class);
    var secrets = informers.of(Secret.class);
    var nodes = informers.of(Node.class);
    return new BoundObjects() {
      @Override
      public Optional<ServiceAccount> serviceAccount(String namespace, String name) {
        return Optional.ofNullable(accounts.get(namespace, name));
      }

      @Override
      public Optional<Pod> pod(String namespace, String name) {
        return Optional.ofNullable(pods.get(namespace, name));
      }

      @Override
      public Optional<Secret> secret(String namespace, String name) {
        return Optional.ofNullable(secrets.get(namespace, name));
      }

      @Override
      public Optional<Node> node(String name) {
        return Optional.ofNullable(nodes.get(null, name));
      }
    };
  }
}
