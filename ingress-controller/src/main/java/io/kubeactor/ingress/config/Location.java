package io.kubeactor.ingress.config;

import io.kubeactor.ingress.config.IngressAnnotations.Canary;

/**
 * A path of a server as an Ingress defines it, before it becomes nginx locations.
 *
 * @param path the Ingress's path ("/" when empty)
 * @param exact pathType Exact; Prefix and ImplementationSpecific are both prefixes in ingress-nginx
 *     (SetDefaultNGINXPathType, internal/k8s/main.go)
 * @param ingress the Ingress that defined it
 * @param annotations that Ingress's annotations
 * @param upstream the upstream it proxies to, or null for the default backend (404)
 * @param defaultBackend the synthetic root location of a server (upstream's IsDefBackend): a path "/"
 *     of an Ingress replaces it
 * @param canary the canary merged into it, or null
 */
record Location(
    String path,
    boolean exact,
    IngressRef ingress,
    IngressAnnotations annotations,
    String upstream,
    boolean defaultBackend,
    CanaryBackend canary) {

  /** A canary Ingress's upstream and its traffic shaping. */
  record CanaryBackend(String upstream, IngressRef ingress, Canary policy) {}

  Location withCanary(CanaryBackend canary) {
    return new Location(path, exact, ingress, annotations, upstream, defaultBackend, canary);
  }

  boolean regexMode() {
    return annotations.regexMode(path);
  }
}
