package io.kubeactor.controlplane.controller;

import io.kubeactor.controlplane.controller.bootstrap.TokenCleaner;
import io.kubeactor.controlplane.controller.certificates.cleaner.CsrCleanerController;
import io.kubeactor.controlplane.controller.clusterroleaggregation.ClusterRoleAggregationController;
import io.kubeactor.controlplane.controller.daemonset.DaemonSetsController;
import io.kubeactor.controlplane.controller.deployment.DeploymentController;
import io.kubeactor.controlplane.controller.disruption.DisruptionController;
import io.kubeactor.controlplane.controller.endpoint.EndpointsController;
import io.kubeactor.controlplane.controller.endpointslice.EndpointSliceController;
import io.kubeactor.controlplane.controller.endpointslicemirroring.EndpointSliceMirroringController;
import io.kubeactor.controlplane.controller.garbagecollector.GarbageCollector;
import io.kubeactor.controlplane.controller.nodeipam.NodeIpamController;
import io.kubeactor.controlplane.controller.nodelifecycle.NodeLifecycleController;
import io.kubeactor.controlplane.controller.nodelifecycle.TaintEvictionController;
import io.kubeactor.controlplane.controller.podautoscaler.HorizontalController;
import io.kubeactor.controlplane.controller.podgc.PodGcController;
import io.kubeactor.controlplane.controller.replicaset.ReplicaSetController;
import io.kubeactor.controlplane.controller.rootcacertpublisher.RootCaCertPublisher;
import io.kubeactor.controlplane.controller.serviceaccount.ServiceAccountsController;
import io.kubeactor.controlplane.controller.servicelb.ServiceLbController;
import io.kubeactor.controlplane.controller.statefulset.StatefulSetController;
import io.kubeactor.controlplane.controller.volume.LocalPathProvisioner;
import io.kubeactor.controlplane.controller.volume.PersistentVolumeBinder;
import io.kubeactor.controlplane.controller.vpa.VpaRecommender;
import io.kubeactor.controlplane.controller.vpa.VpaUpdater;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * kube-controller-manager: one child actor per controller, each a {@link Controller} running its
 * reconciler over the shared informers. A controller that throws is restarted on its own.
 */
public final class ControllerManager {
  private ControllerManager() {}

  /** Every controller the manager runs, with its parallel reconciles. */
  static List<Function<ControllerContext, Reconciler>> controllers() {
    return List.of(
        ServiceAccountsController::new,
        RootCaCertPublisher::new,
        ClusterRoleAggregationController::new,
        ReplicaSetController::new,
        DeploymentController::new,
        DaemonSetsController::new,
        StatefulSetController::new,
        PersistentVolumeBinder::new,
        LocalPathProvisioner::new,
        GarbageCollector::new,
        NodeLifecycleController::new,
        TaintEvictionController::new,
        PodGcController::new,
        DisruptionController::new,
        NodeIpamController::new,
        EndpointsController::new,
        EndpointSliceController::new,
        EndpointSliceMirroringController::new,
        ServiceLbController::new,
        HorizontalController::new,
        VpaRecommender::new,
        VpaUpdater::new,
        CsrCleanerController::new,
        TokenCleaner::new);
  }

  public static Behavior<Void> create(ControllerContext context) {
    return create(context, List.of());
  }

  /**
   * With controllers that need more than the context, made by the wiring (the ServiceAccount token
   * controller, which signs with the control plane's key).
   */
  public static Behavior<Void> create(ControllerContext context, List<Function<ControllerContext, Reconciler>> more) {
    return Behaviors.setup(ctx -> {
      for (Function<ControllerContext, Reconciler> make : java.util.stream.Stream.concat(controllers().stream(),
          more.stream()).toList()) {
        Reconciler r = make.apply(context);
        Behavior<Controller.Command> b = Behaviors.supervise(Controller.create(r, Controller.Settings.defaults()))
            .onFailure(SupervisorStrategy.restart());
        ctx.spawn(b, r.name());
      }
      return Behaviors.empty();
    });
  }
}
