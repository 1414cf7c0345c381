package io.kubeactor.ingress.config;

import java.nio.file.Path;

/**
 * The controller's flags, as ingress-nginx's --ingress-class, --controller-class,
 * --watch-ingress-without-class, --http-port, --https-port and --healthz-port.
 *
 * @param ingressClass the class name ("nginx"), also the accepted value of the legacy annotation
 *     kubernetes.io/ingress.class
 * @param controllerClass the IngressClass spec.controller this controller serves ("k8s.io/ingress-nginx")
 * @param user nginx's {@code user} directive; null when nginx does not run as root (tests)
 * @param listenAddress the address nginx listens on; null for all addresses (tests: 127.0.0.1)
 * @param healthPort the port of /healthz (the DaemonSet's probes; ingress-nginx: 10254)
 * @param runDirectory where nginx.conf and the certificate files go; the pid file and nginx's
 *     temporary directories are under it too
 * @param defaultCertificate the PEM certificate for unknown names (see {@link DefaultCertificate})
 * @param defaultKey its PEM private key
 */
public record ControllerSettings(
    String ingressClass,
    String controllerClass,
    boolean watchIngressWithoutClass,
    String user,
    String listenAddress,
    int httpPort,
    int httpsPort,
    int healthPort,
    Path runDirectory,
    Path defaultCertificate,
    Path defaultKey) {}
