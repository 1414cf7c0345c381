package io.kubeactor.ingress.config;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders nginx's configuration from the cluster's objects, as ingress-nginx's controller does
 * (internal/ingress/controller/controller.go getConfiguration): pure, deterministic (an unchanged
 * cluster gives the same text), the problems found as events on the Ingresses.
 */
public final class NginxConfigRenderer {

  static final String INVALID_ANNOTATION = "InvalidAnnotation";

  private NginxConfigRenderer() {}

  /** Whether this controller takes the Ingress (its class, or the legacy annotation), as render does. */
  public static boolean serves(Ingress ingress, List<IngressClass> ingressClasses, ControllerSettings settings) {
    return ingress.getSpec() != null && new IngressClassFilter(ingressClasses, settings).serves(ingress);
  }

  public static RenderedConfig render(ClusterState state, ControllerSettings settings) {
    IngressClassFilter classes = new IngressClassFilter(state.ingressClasses(), settings);
    List<Ingress> served = new ArrayList<>();
    for (Ingress ingress : state.ingresses()) {
      if (ingress.getSpec() != null && ingress.getMetadata().getDeletionTimestamp() == null && classes.serves(ingress)) {
        served.add(ingress);
      }
    }
    sortOldestFirst(served);

    Set<IngressEvent> events = new TreeSet<>();
    LinkedHashMap<Ingress, IngressAnnotations> annotated = new LinkedHashMap<>();
    for (Ingress ingress : served) {
      AnnotationParser.Result parsed = AnnotationParser.parse(ingress.getMetadata().getAnnotations());
      for (String problem : parsed.problems()) {
        events.add(IngressEvent.warning(IngressRef.of(ingress), INVALID_ANNOTATION, problem));
      }
      annotated.put(ingress, parsed.annotations());
    }

    RouteBuilder builder =
        new RouteBuilder(
            new BackendResolver(state.services(), state.endpointSlices()), new TlsCertificates(state.secrets()), events);
    Routes routes = builder.build(annotated);
    return new RenderedConfig(
        NginxConfWriter.write(routes, settings),
        Collections.unmodifiableMap(RouteBuilder.certificateFiles(routes)),
        List.copyOf(events),
        List.copyOf(served));
  }

  /**
   * ingress-nginx's sortIngressSlice (internal/ingress/controller/store/store.go): by creation
   * time, and at the same time the greater namespace/name first.
   */
  static void sortOldestFirst(List<Ingress> ingresses) {
    Map<Ingress, Instant> created = new IdentityHashMap<>();
    for (Ingress ingress : ingresses) {
      created.put(ingress, created(ingress));
    }
    ingresses.sort(
        Comparator.comparing((Ingress i) -> created.get(i))
            .thenComparing(i -> i.getMetadata().getNamespace() + "/" + i.getMetadata().getName(), Comparator.reverseOrder()));
  }

  private static Instant created(Ingress ingress) {
    String timestamp = ingress.getMetadata().getCreationTimestamp();
    if (timestamp == null) {
      return Instant.MAX;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return Instant.MAX;
    }
  }
}
