package io.kubeactor.ingress.config;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.List;

/** What the controller watches, as the informers hold it (fabric8 model types). */
public record ClusterState(
    List<Ingress> ingresses,
    List<IngressClass> ingressClasses,
    List<Service> services,
    List<EndpointSlice> endpointSlices,
    List<Secret> secrets) {

  public ClusterState {
    ingresses = List.copyOf(ingresses);
    ingressClasses = List.copyOf(ingressClasses);
    services = List.copyOf(services);
    endpointSlices = List.copyOf(endpointSlices);
    secrets = List.copyOf(secrets);
  }
}
