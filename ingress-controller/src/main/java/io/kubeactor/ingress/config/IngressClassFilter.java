package io.kubeactor.ingress.config;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which Ingresses this controller serves, as ingress-nginx's store (GetIngressClass in
 * internal/ingress/controller/store/store.go): spec.ingressClassName, when set, must name an
 * IngressClass whose spec.controller is this controller's; otherwise the legacy annotation
 * kubernetes.io/ingress.class must be the --ingress-class; an Ingress with neither only with
 * --watch-ingress-without-class. (Upstream does not look at is-default-class: the API server's
 * DefaultIngressClass admission sets the class on creation.)
 */
final class IngressClassFilter {

  static final String LEGACY_ANNOTATION = "kubernetes.io/ingress.class";

  private final ControllerSettings settings;
  private final Set<String> ourClasses;

  IngressClassFilter(List<IngressClass> ingressClasses, ControllerSettings settings) {
    this.settings = settings;
    this.ourClasses =
        ingressClasses.stream()
            .filter(c -> c.getSpec() != null && settings.controllerClass().equals(c.getSpec().getController()))
            .map(c -> c.getMetadata().getName())
            .collect(Collectors.toSet());
  }

  boolean serves(Ingress ingress) {
    String className = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
    if (className != null) {
      return ourClasses.contains(className);
    }
    Map<String, String> annotations = ingress.getMetadata().getAnnotations();
    String legacy = annotations == null ? null : annotations.get(LEGACY_ANNOTATION);
    if (legacy != null) {
      return legacy.equals(settings.ingressClass());
    }
    return settings.watchIngressWithoutClass();
  }
}
