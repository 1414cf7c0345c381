package io.kubeactor.controlplane.security.serviceaccount;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeactor.controlplane.client.FreshRead;
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

  /**
   * The objects as the control plane's shared informers hold them, read from the store itself when
   * the informer has not seen them yet (kube-apiserver's getter falls back to a live read on a cache
   * miss, so that a token issued a moment after its account was created is not refused).
   */
  static BoundObjects of(Informers informers, FreshRead fresh) {
    return new BoundObjects() {
      @Override
      public Optional<ServiceAccount> serviceAccount(String namespace, String name) {
        return read(ServiceAccount.class, namespace, name);
      }

      @Override
      public Optional<Pod> pod(String namespace, String name) {
        return read(Pod.class, namespace, name);
      }

      @Override
      public Optional<Secret> secret(String namespace, String name) {
        return read(Secret.class, namespace, name);
      }

      @Override
      public Optional<Node> node(String name) {
        return read(Node.class, null, name);
      }

      private <T extends HasMetadata> Optional<T> read(Class<T> model, String namespace, String name) {
        T cached = informers.of(model).get(namespace, name);
        if (cached != null) return Optional.of(cached);
        return Optional.ofNullable(fresh.get(informers.typeOf(model), namespace, name, model));
      }
    };
  }
}
