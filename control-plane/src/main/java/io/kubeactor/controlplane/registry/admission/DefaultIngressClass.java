package io.kubeactor.controlplane.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * The DefaultIngressClass admission plugin (plugin/pkg/admission/network/defaultingressclass): an
 * Ingress created without spec.ingressClassName and without the deprecated
 * kubernetes.io/ingress.class annotation (whatever its value) gets the IngressClass marked
 * ingressclass.kubernetes.io/is-default-class=true; with several, the newest, then the first by
 * name (as 1.32; older releases refused the Ingress). Without a default class it stays without one.
 */
public final class DefaultIngressClass {
  private DefaultIngressClass() {}

  public static final String IS_DEFAULT_CLASS = "ingressclass.kubernetes.io/is-default-class";
  /** networking/v1beta1's AnnotationIngressClass: names the class instead of the field, for older controllers. */
  public static final String INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

  /** Sets the default class on an Ingress being created that names none; the classes are read only then. */
  public static void admit(ObjectNode ingress, Supplier<? extends Collection<? extends JsonNode>> ingressClasses) {
    JsonNode className = ingress.path("spec").path("ingressClassName");
    if (!className.isMissingNode() && !className.isNull()) return;
    if (ingress.path("metadata").path("annotations").has(INGRESS_CLASS_ANNOTATION)) return;
    DefaultClasses.newest(ingressClasses.get(), DefaultIngressClass::isDefault)
        .ifPresent(name -> Nodes.object(ingress, "spec").put("ingressClassName", name));
  }

  public static boolean isDefault(JsonNode ingressClass) {
    return ingressClass.path("metadata").path("annotations").path(IS_DEFAULT_CLASS).asText("").equals("true");
  }
}
