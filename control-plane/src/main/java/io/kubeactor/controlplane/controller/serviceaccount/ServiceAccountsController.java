package io.kubeactor.controlplane.controller.serviceaccount;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Reconciler;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * kube-controller-manager's serviceaccount controller: every active namespace has a "default"
 * ServiceAccount, made again if it is deleted. Pods run as it unless they name another, and take
 * its imagePullSecrets (note 004: {@code kubectl patch serviceaccount default}). Keys are
 * namespace names.
 */
public final class ServiceAccountsController implements Reconciler {

  private final ControllerContext context;
  private final Informer<Namespace> namespaces;
  private final Informer<ServiceAccount> accounts;

  public ServiceAccountsController(ControllerContext context) {
    this.context = context;
    this.namespaces = context.informers().of(Namespace.class);
    this.accounts = context.informers().of(ServiceAccount.class);
  }

  @Override
  public String name() {
    return "serviceaccount-controller";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(namespaces, e -> e.type() == Informer.EventType.ADDED ? List.of(e.object().getMetadata().getName()) : List.of());
    queue.watch(accounts, e -> e.type() == Informer.EventType.DELETED && "default".equals(e.object().getMetadata().getName())
        ? List.of(e.object().getMetadata().getNamespace()) : List.of());
  }

  @Override
  public Collection<String> keys() {
    return namespaces.list().stream().map(n -> n.getMetadata().getName()).toList();
  }

  @Override
  public CompletionStage<Result> reconcile(String namespace) {
    Namespace ns = namespaces.get(namespace);
    if (ns == null || ns.getMetadata().getDeletionTimestamp() != null || accounts.get(namespace, "default") != null) {
      return CompletableFuture.completedFuture(Result.done());
    }
    ServiceAccount sa = new ServiceAccountBuilder().withNewMetadata().withName("default").withNamespace(namespace)
        .endMetadata().build();
    sa.setApiVersion("v1");
    sa.setKind("ServiceAccount");
    return context.writer().create(sa).thenApply(created -> Result.done());
  }
}
