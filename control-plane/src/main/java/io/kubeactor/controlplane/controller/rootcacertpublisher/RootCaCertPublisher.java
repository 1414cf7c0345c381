package io.kubeactor.controlplane.controller.rootcacertpublisher;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Reconciler;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * kube-controller-manager's root-ca-cert-publisher (pkg/controller/certificates/rootcacertpublisher):
 * every namespace has a kube-root-ca.crt ConfigMap holding the cluster CA as ca.crt, which pods'
 * kube-api-access volumes project so that they can verify the API server. Made again if deleted,
 * put back if changed. Keys are namespace names; publishes nothing without a CA in its settings.
 */
public final class RootCaCertPublisher implements Reconciler {

  public static final String CONFIG_MAP_NAME = "kube-root-ca.crt";
  static final String DESCRIPTION_ANNOTATION = "kubernetes.io/description";
  static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using "
      + "internal endpoints such as the internal service IP or kubernetes.default.svc. "
      + "No other usage is guaranteed across distributions of Kubernetes clusters.";

  private final ControllerContext context;
  private final Informer<Namespace> namespaces;
  private final Informer<ConfigMap> configMaps;
  private final String rootCa;

  public RootCaCertPublisher(ControllerContext context) {
    this.context = context;
    this.namespaces = context.informers().of(Namespace.class);
    this.configMaps = context.informers().of(ConfigMap.class);
    this.rootCa = context.settings().rootCaPem();
  }

  @Override
  public String name() {
    return "root-ca-certificate-publisher-controller";
  }

  @Override
  public void start(Queue queue) {
    if (rootCa.isEmpty()) return;
    queue.watch(namespaces, e -> switch (e.type()) {
      case ADDED -> List.of(e.object().getMetadata().getName());
      case MODIFIED -> e.object().getStatus() != null && "Active".equals(e.object().getStatus().getPhase())
          ? List.of(e.object().getMetadata().getName()) : List.of();
      case DELETED -> List.of();
    });
    queue.watch(configMaps, e -> e.type() != Informer.EventType.ADDED
        && CONFIG_MAP_NAME.equals(e.object().getMetadata().getName())
        ? List.of(e.object().getMetadata().getNamespace()) : List.of());
  }

  @Override
  public Collection<String> keys() {
    if (rootCa.isEmpty()) return List.of();
    return namespaces.list().stream().map(n -> n.getMetadata().getName()).toList();
  }

  @Override
  public CompletionStage<Result> reconcile(String namespace) {
    if (rootCa.isEmpty()) return done();
    Map<String, String> data = Map.of("ca.crt", rootCa);
    ConfigMap current = configMaps.get(namespace, CONFIG_MAP_NAME);
    if (current == null) {
      ConfigMap created = new ConfigMapBuilder()
          .withNewMetadata().withName(CONFIG_MAP_NAME).withNamespace(namespace)
          .addToAnnotations(DESCRIPTION_ANNOTATION, DESCRIPTION).endMetadata()
          .withData(data).build();
      created.setApiVersion("v1");
      created.setKind("ConfigMap");
      return context.writer().create(created).handle((ok, failure) -> {
        // a namespace that is gone or being terminated takes no new content: nothing to retry
        if (failure == null || ApiException.hasCode(failure, 404) || terminating(failure)) return Result.done();
        throw new IllegalStateException(failure);
      });
    }
    Map<String, String> annotations = current.getMetadata().getAnnotations();
    String description = annotations == null ? null : annotations.get(DESCRIPTION_ANNOTATION);
    if (data.equals(current.getData()) && description != null && !description.isEmpty()) return done();
    ConfigMap changed = new ConfigMapBuilder(current).withData(data).build();
    Map<String, String> newAnnotations = new HashMap<>(annotations == null ? Map.of() : annotations);
    newAnnotations.put(DESCRIPTION_ANNOTATION, DESCRIPTION);
    changed.getMetadata().setAnnotations(newAnnotations);
    return context.writer().update(changed).thenApply(updated -> Result.done());
  }

  private static boolean terminating(Throwable failure) {
    return ApiException.unwrap(failure) instanceof ApiException api && api.code == 403
        && api.getMessage().endsWith("because it is being terminated");
  }

  private static CompletionStage<Result> done() {
    return CompletableFuture.completedFuture(Result.done());
  }
}
