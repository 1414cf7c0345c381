package io.kubeactor.controlplane.controller.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Reconciler;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The kind whose objects the {@link ReplicaSetController} keeps at their replica count, seen as
 * ReplicaSets: ReplicaSets themselves, or ReplicationControllers through an adapter, as upstream's
 * replication manager runs the ReplicaSet controller's code over an informer adapter. A view keeps
 * its kind's apiVersion and kind, so the pods it makes and the events it records name the real owner.
 */
public interface ReplicaSetKind {

  /** The controller's name (kube-controller-manager's), also its events' component. */
  String controllerName();

  /** The kind named in its pods' controller references. */
  String kind();

  ResourceType type();

  ReplicaSet get(String key);

  ReplicaSet get(String namespace, String name);

  List<ReplicaSet> list();

  List<ReplicaSet> list(String namespace);

  /** The objects of the kind controlled by the owner with this uid (a Deployment's ReplicaSets). */
  List<ReplicaSet> controlledBy(String ownerUid);

  /** Queues the keys each change of an object concerns. */
  void watch(Reconciler.Queue queue, Function<Informer.Event<? extends HasMetadata>, Collection<String>> keys);

  /** Writes the view's status to the object it stands for. */
  CompletionStage<?> updateStatus(ReplicaSet view);

  /** ReplicaSets, as they are. */
  static ReplicaSetKind replicaSets(ControllerContext context) {
    Informer<ReplicaSet> informer = context.informers().of(ReplicaSet.class);
    informer.addIndex(ReplicaSetController.BY_CONTROLLER, ReplicaSetController::controllerUids);
    return new ReplicaSetKind() {
      @Override
      public String controllerName() {
        return "replicaset-controller";
      }

      @Override
      public String kind() {
        return "ReplicaSet";
      }

      @Override
      public ResourceType type() {
        return context.informers().typeOf(ReplicaSet.class);
      }

      @Override
      public ReplicaSet get(String key) {
        return informer.get(key);
      }

      @Override
      public ReplicaSet get(String namespace, String name) {
        return informer.get(namespace, name);
      }

      @Override
      public List<ReplicaSet> list() {
        return informer.list();
      }

      @Override
      public List<ReplicaSet> list(String namespace) {
        return informer.list(namespace);
      }

      @Override
      public List<ReplicaSet> controlledBy(String ownerUid) {
        return informer.byIndex(ReplicaSetController.BY_CONTROLLER, ownerUid);
      }

      @Override
      public void watch(Reconciler.Queue queue, Function<Informer.Event<? extends HasMetadata>, Collection<String>> keys) {
        queue.watch(informer, keys::apply);
      }

      @Override
      public CompletionStage<?> updateStatus(ReplicaSet view) {
        return context.writer().updateStatus(view);
      }
    };
  }
}
