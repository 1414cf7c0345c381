package io.kubeactor.ingress.config;

import io.kubeactor.ingress.config.IngressAnnotations.Affinity;
import java.util.List;

/**
 * An upstream block: a Service port's ready endpoints, named as ingress-nginx names it
 * (namespace-service-port), with the cookie affinity of the first Ingress path that uses it
 * (ingress-nginx keeps affinity per upstream too). No servers: the locations answer 503.
 */
record Upstream(String name, List<String> servers, Affinity affinity) {

  boolean available() {
    return !servers.isEmpty();
  }
}
