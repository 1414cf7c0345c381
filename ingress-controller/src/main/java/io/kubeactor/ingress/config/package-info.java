/**
 * The pure part of the ingress controller: {@link io.kubeactor.ingress.config.NginxConfigRenderer}
 * turns the watched objects ({@link io.kubeactor.ingress.config.ClusterState}) and the controller's
 * flags ({@link io.kubeactor.ingress.config.ControllerSettings}) into nginx.conf, the certificate
 * files it names and the events to record, without I/O.
 *
 * <p>The steps, each a class: {@code IngressClassFilter} (which Ingresses are ours),
 * {@code AnnotationParser} (nginx.ingress.kubernetes.io annotations, upstream's validation and
 * messages), {@code RouteBuilder} (servers per host, locations oldest Ingress first, canaries merged
 * into their main Ingress's locations, certificates per host), {@code BackendResolver} (Service
 * ports to EndpointSlice endpoints), {@code TlsCertificates} (kubernetes.io/tls Secrets checked) and
 * {@code NginxConfWriter} (the text).
 *
 * <p>Where ingress-nginx uses Lua (balancer.lua, certificate.lua, lua_ingress.lua) this is plain
 * nginx: endpoints are upstream blocks (a change of endpoints is a graceful reload), a certificate
 * per server block chosen by SNI, the https redirect and HSTS with {@code if}/{@code map}, canary
 * decisions as maps and {@code split_clients} in balancer.lua's order, cookie affinity as a
 * consistent hash on the cookie's value.
 */
package io.kubeactor.ingress.config;
