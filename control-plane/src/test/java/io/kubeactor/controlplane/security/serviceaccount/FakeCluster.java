package io.kubeactor.controlplane.security.serviceaccount;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The objects tokens are bound to, held in maps that tests change as the API would. */
final class FakeCluster implements BoundObjects {

  private final Map<String, HasMetadata> objects = new ConcurrentHashMap<>();

  ServiceAccount addAccount(String namespace, String name) {
    return put(new ServiceAccountBuilder().withNewMetadata().withNamespace(namespace).withName(name)
        .withUid(UUID.randomUUID().toString()).endMetadata().build());
  }

  Pod addPod(String namespace, String name, String account, String node) {
    return put(new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name)
        .withUid(UUID.randomUUID().toString()).endMetadata()
        .withNewSpec().withServiceAccountName(account).withNodeName(node).endSpec().build());
  }

  Secret addSecret(String namespace, String name) {
    return put(new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name)
        .withUid(UUID.randomUUID().toString()).endMetadata().build());
  }

  Node addNode(String name) {
    return put(new NodeBuilder().withNewMetadata().withName(name).withUid(UUID.randomUUID().toString()).endMetadata()
        .build());
  }

  <T extends HasMetadata> T put(T object) {
    objects.put(key(object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName()), object);
    return object;
  }

  void remove(HasMetadata object) {
    objects.remove(key(object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName()));
  }

  @Override
  public Optional<ServiceAccount> serviceAccount(String namespace, String name) {
    return get(ServiceAccount.class, "ServiceAccount", namespace, name);
  }

  @Override
  public Optional<Pod> pod(String namespace, String name) {
    return get(Pod.class, "Pod", namespace, name);
  }

  @Override
  public Optional<Secret> secret(String namespace, String name) {
    return get(Secret.class, "Secret", namespace, name);
  }

  @Override
  public Optional<Node> node(String name) {
    return get(Node.class, "Node", null, name);
  }

  private <T> Optional<T> get(Class<T> type, String kind, String namespace, String name) {
    return Optional.ofNullable(objects.get(key(kind, namespace, name))).map(type::cast);
  }

  private static String key(String kind, String namespace, String name) {
    return kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
  }
}
