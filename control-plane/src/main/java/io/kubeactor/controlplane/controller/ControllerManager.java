package io.kubeactor.controlplane.controller;

import io.kubeactor.controlplane.controller.bootstrap.TokenCleaner;
import io.kubeactor.controlplane.controller.certificates.cleaner.CsrCleanerController;
import io.kubeactor.controlplane.controller.clusterroleaggregation.ClusterRoleAggregationController;
import io.kubeactor.controlplane.controller.cronjob.CronJobController;
import io.kubeactor.controlplane.controller.daemonset.DaemonSetsController;
import io.kubeactor.controlplane.controller.deployment.DeploymentController;
import io.kubeactor.controlplane.controller.disruption.DisruptionController;
import io.kubeactor.controlplane.controller.endpoint.EndpointsController;
import io.kubeactor.controlplane.controller.endpointslice.EndpointSliceController;
import io.kubeactor.controlplane.controller.endpointslicemirroring.EndpointSliceMirroringController;
import io.kubeactor.controlplane.controller.garbagecollector.GarbageCollector;
import io.kubeactor.controlplane.controller.job.JobController;
import io.kubeactor.controlplane.controller.nodeipam.NodeIpamController;
import io.kubeactor.controlplane.controller.nodelifecycle.NodeLifecycleController;
import io.kubeactor.controlplane.controller.nodelifecycle.TaintEvictionController;
import io.kubeactor.controlplane.controller.podautoscaler.HorizontalController;
import io.kubeactor.controlplane.controller.podgc.PodGcController;
import io.kubeactor.controlplane.controller.replicaset.ReplicaSetController;
import io.kubeactor.controlplane.controller.replication.ReplicationManager;
import io.kubeactor.controlplane.controller.rootcacertpublisher.RootCaCertPublisher;
import io.kubeactor.controlplane.controller.serviceaccount.ServiceAccountsController;
import io.kubeactor.controlplane.controller.servicelb.ServiceLbController;
import io.kubeactor.controlplane.controller.statefulset.StatefulSetController;
import io.kubeactor.controlplane.controller.volume.LocalPathProvisioner;
import io.kubeactor.controlplane.controller.volume.PersistentVolumeBinder;
import io.kubeactor.controlplane.controller.vpa.VpaRecommender;
import io.kubeactor.controlplane.controller.vpa.VpaUpdater;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Authorizer;
import io.kubeactor.controlplane.security.serviceaccount.ServiceAccountInfo;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * kube-controller-manager: one child actor per controller, each a {@link Controller} running its
 * reconciler over the shared informers. A controller that throws is restarted on its own.
 *
 * <p>Each controller acts as its own user, as kubeadm runs kube-controller-manager
 * (--use-service-account-credentials): kube-controller-manager's controllers as the ServiceAccount
 * {@code kube-system/<name>} that upstream gives them, bound to {@code system:controller:<name>} by
 * the bootstrap policy; the add-ons it stands in for (local-path-provisioner, the VPA, servicelb) as
 * their own manifests' ServiceAccounts and roles (addons-policy.yaml). Their writes are authorized as
 * any client's, so a controller can do only what its role allows.
 */
public final class ControllerManager {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ControllerManager.class);

  private ControllerManager() {}

  /** The namespace of the controllers' ServiceAccounts. */
  public static final String NAMESPACE = "kube-system";

  /** A controller and the user it acts as. */
  public record Entry(UserInfo user, Function<ControllerContext, Reconciler> make) {

    /** A controller acting as the ServiceAccount kube-system/{@code name}. */
    public static Entry serviceAccount(String name, Function<ControllerContext, Reconciler> make) {
      return new Entry(serviceAccountUser(name), make);
    }
  }

  /** The user a ServiceAccount of kube-system is, as its token authenticates it. */
  public static UserInfo serviceAccountUser(String name) {
    return UserInfo.of(ServiceAccountInfo.username(NAMESPACE, name), ServiceAccountInfo.ALL_SERVICE_ACCOUNTS_GROUP,
        ServiceAccountInfo.NAMESPACE_GROUP_PREFIX + NAMESPACE, UserInfo.AUTHENTICATED);
  }

  /** Every controller the manager runs, with the ServiceAccount upstream runs it as. */
  static List<Entry> controllers() {
    return List.of(
        Entry.serviceAccount("service-account-controller", ServiceAccountsController::new),
        Entry.serviceAccount("root-ca-cert-publisher", RootCaCertPublisher::new),
        Entry.serviceAccount("clusterrole-aggregation-controller", ClusterRoleAggregationController::new),
        Entry.serviceAccount("replicaset-controller", ReplicaSetController::new),
        Entry.serviceAccount("replication-controller", ReplicationManager::create),
        Entry.serviceAccount("deployment-controller", DeploymentController::new),
        Entry.serviceAccount("daemon-set-controller", DaemonSetsController::new),
        Entry.serviceAccount("statefulset-controller", StatefulSetController::new),
        Entry.serviceAccount("job-controller", JobController::new),
        Entry.serviceAccount("cronjob-controller", CronJobController::new),
        Entry.serviceAccount("persistent-volume-binder", PersistentVolumeBinder::new),
        Entry.serviceAccount("local-path-provisioner-service-account", LocalPathProvisioner::new),
        Entry.serviceAccount("generic-garbage-collector", GarbageCollector::new),
        Entry.serviceAccount("node-controller", NodeLifecycleController::new),
        // upstream's taint-eviction-controller and node-ipam-controller run as node-controller too
        Entry.serviceAccount("node-controller", TaintEvictionController::new),
        Entry.serviceAccount("pod-garbage-collector", PodGcController::new),
        Entry.serviceAccount("disruption-controller", DisruptionController::new),
        Entry.serviceAccount("node-controller", NodeIpamController::new),
        Entry.serviceAccount("endpoint-controller", EndpointsController::new),
        Entry.serviceAccount("endpointslice-controller", EndpointSliceController::new),
        Entry.serviceAccount("endpointslicemirroring-controller", EndpointSliceMirroringController::new),
        Entry.serviceAccount("servicelb-controller", ServiceLbController::new),
        Entry.serviceAccount("horizontal-pod-autoscaler", HorizontalController::new),
        Entry.serviceAccount("vpa-recommender", VpaRecommender::new),
        Entry.serviceAccount("vpa-updater", VpaUpdater::new),
        Entry.serviceAccount("certificate-controller", CsrCleanerController::new),
        Entry.serviceAccount("token-cleaner", TokenCleaner::new));
  }

  /** The ServiceAccounts the controllers above act as. */
  public static java.util.Set<String> serviceAccountNames() {
    return serviceAccountNames(controllers());
  }

  private static java.util.Set<String> serviceAccountNames(List<Entry> entries) {
    return entries.stream().map(e -> ServiceAccountInfo.split(e.user().name())).flatMap(java.util.Optional::stream)
        .map(parts -> parts.get(1)).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
  }

  /**
   * The controllers above and {@code more}, made by the wiring (those that need more than the
   * context: the ServiceAccount token controller, which signs with the control plane's key, and the
   * CSR approver and signer), each acting as its entry's user with writes {@code authorizer} allows.
   */
  public static Behavior<Void> create(ControllerContext context, Authorizer authorizer, List<Entry> more) {
    return Behaviors.setup(ctx -> {
      List<Entry> entries = java.util.stream.Stream.concat(controllers().stream(), more.stream()).toList();
      ensureServiceAccounts(context, serviceAccountNames(entries));
      for (Entry entry : entries) {
        Reconciler r = entry.make().apply(context.as(entry.user(), authorizer));
        Behavior<Controller.Command> b = Behaviors.supervise(Controller.create(r, Controller.Settings.defaults()))
            .onFailure(SupervisorStrategy.restart());
        ctx.spawn(b, r.name());
      }
      return Behaviors.empty();
    });
  }

  /**
   * The controllers' ServiceAccounts in kube-system, made when missing, as kube-controller-manager's
   * client builder makes each before its controller starts (kubectl get sa -n kube-system lists them).
   * Written as {@code context}'s user; one that fails is logged, and its controller acts by name anyway.
   */
  public static void ensureServiceAccounts(ControllerContext context, java.util.Collection<String> names) {
    var accounts = context.informers().of(ServiceAccount.class);
    names.stream()
        .filter(name -> accounts.get(NAMESPACE, name) == null)
        .forEach(name -> {
          ServiceAccount sa = new ServiceAccountBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
              .endMetadata().build();
          sa.setApiVersion("v1");
          sa.setKind("ServiceAccount");
          context.writer().create(sa).whenComplete((created, e) -> {
            if (e != null && !ApiException.hasCode(e, 409)) {
              LOG.warn("the ServiceAccount {}/{} was not made: {}", NAMESPACE, name, ApiException.unwrap(e).getMessage());
            }
          });
        });
  }
}
