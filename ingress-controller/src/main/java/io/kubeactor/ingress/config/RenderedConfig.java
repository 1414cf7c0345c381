package io.kubeactor.ingress.config;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.List;
import java.util.Map;

/**
 * A rendering's result.
 *
 * @param nginxConf the text of nginx.conf; identical for an unchanged cluster (the runtime reloads
 *     nginx only when it changes)
 * @param files the files nginx.conf refers to (the certificates), by path relative to the run
 *     directory, sorted
 * @param events the events to record on Ingresses (problems found while rendering), sorted
 * @param served the Ingresses this controller serves: their status gets the address
 */
public record RenderedConfig(
    String nginxConf, Map<String, byte[]> files, List<IngressEvent> events, List<Ingress> served) {}
