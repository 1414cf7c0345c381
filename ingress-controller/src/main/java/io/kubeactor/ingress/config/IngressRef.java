package io.kubeactor.ingress.config;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/** An Ingress's namespace and name. */
record IngressRef(String namespace, String name) {

  static IngressRef of(Ingress ingress) {
    return new IngressRef(ingress.getMetadata().getNamespace(), ingress.getMetadata().getName());
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
