package io.kubeactor.controlplane.controller.replication;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.ControllerRefManager;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.Reconciler;
import io.kubeactor.controlplane.controller.replicaset.ReplicaSetController;
import io.kubeactor.controlplane.controller.replicaset.ReplicaSetKind;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * kube-controller-manager's replication controller (pkg/controller/replication): the ReplicaSet
 * controller run over ReplicationControllers, each seen as a ReplicaSet whose selector is its map
 * of labels (upstream's conversion.go adapters), its status written back to the
 * ReplicationController.
 */
public final class ReplicationManager implements ReplicaSetKind {

  private static final String BY_CONTROLLER = "replication-controller/controllerUid";

  private final ControllerContext context;
  private final Informer<ReplicationController> informer;

  private ReplicationManager(ControllerContext context) {
    this.context = context;
    this.informer = context.informers().of(ReplicationController.class);
    informer.addIndex(BY_CONTROLLER, rc -> OwnerReferences.controllerOf(rc).map(r -> List.of(r.getUid())).orElse(List.of()));
  }

  public static Reconciler create(ControllerContext context) {
    return new ReplicaSetController(context, new ReplicationManager(context));
  }

  @Override
  public String controllerName() {
    return "replication-controller";
  }

  @Override
  public String kind() {
    return "ReplicationController";
  }

  @Override
  public ResourceType type() {
    return context.informers().typeOf(ReplicationController.class);
  }

  @Override
  public ReplicaSet get(String key) {
    return view(informer.get(key));
  }

  @Override
  public ReplicaSet get(String namespace, String name) {
    return view(informer.get(namespace, name));
  }

  @Override
  public List<ReplicaSet> list() {
    return informer.list().stream().map(ReplicationManager::view).toList();
  }

  @Override
  public List<ReplicaSet> list(String namespace) {
    return informer.list(namespace).stream().map(ReplicationManager::view).toList();
  }

  @Override
  public List<ReplicaSet> controlledBy(String ownerUid) {
    return informer.byIndex(BY_CONTROLLER, ownerUid).stream().map(ReplicationManager::view).toList();
  }

  @Override
  public void watch(Reconciler.Queue queue, Function<Informer.Event<? extends HasMetadata>, Collection<String>> keys) {
    queue.watch(informer, keys::apply);
  }

  @Override
  public CompletionStage<?> updateStatus(ReplicaSet view) {
    ReplicationController rc = informer.get(view.getMetadata().getNamespace(), view.getMetadata().getName());
    ReplicationController copy = ControllerRefManager.copy(rc);
    copy.getMetadata().setResourceVersion(view.getMetadata().getResourceVersion());
    copy.setStatus(Json.fromTree(Json.toTree(view.getStatus()), ReplicationControllerStatus.class));
    return context.writer().updateStatus(copy);
  }

  /**
   * The ReplicationController as a ReplicaSet: the same metadata, spec and status (their fields
   * have the same names), the selector as matchLabels; apiVersion and kind stay v1
   * ReplicationController, so what the controller makes from the view is owned by the real object.
   */
  static ReplicaSet view(ReplicationController rc) {
    if (rc == null) return null;
    var tree = Json.toTree(rc);
    tree.withObjectProperty("spec").remove("selector");
    ReplicaSet rs = Json.fromTree(tree, ReplicaSet.class);
    rs.setApiVersion(rc.getApiVersion());
    rs.setKind(rc.getKind());
    LabelSelector selector = new LabelSelector();
    selector.setMatchLabels(rc.getSpec().getSelector());
    rs.getSpec().setSelector(selector);
    return rs;
  }
}
