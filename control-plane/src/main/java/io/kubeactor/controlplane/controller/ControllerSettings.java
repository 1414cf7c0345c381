package io.kubeactor.controlplane.controller;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kubeactor.controlplane.controller.vpa.VpaSettings;
import java.time.Duration;

/**
 * The controller manager's cluster-wide settings (kubeactor.controllers in application.conf).
 *
 * @param defaultTolerationSeconds how long pods tolerate their node being not-ready or unreachable
 *     before they are evicted (kube-apiserver's DefaultTolerationSeconds admission: 300 s)
 * @param nodeMonitorGracePeriod how long a node may go without a heartbeat before it is marked
 *     Unknown (kube-controller-manager's --node-monitor-grace-period: 40 s)
 * @param clusterCidr the range nodes' PodCIDRs are cut from (--cluster-cidr)
 * @param nodeCidrMaskSize the prefix length of each node's PodCIDR (--node-cidr-mask-size: 24)
 * @param horizontalPodAutoscalerSyncPeriod how often each HPA is synced
 *     (--horizontal-pod-autoscaler-sync-period: 15 s)
 * @param vpa the vertical pod autoscaler's recommender and updater
 * @param rootCaPem the cluster CA the root-ca-cert-publisher puts in every namespace's
 *     kube-root-ca.crt ConfigMap (--root-ca-file), PEM; empty publishes nothing
 */
public record ControllerSettings(long defaultTolerationSeconds, Duration nodeMonitorGracePeriod, String clusterCidr,
    int nodeCidrMaskSize, Duration horizontalPodAutoscalerSyncPeriod, VpaSettings vpa, String rootCaPem) {

  public static final Duration HPA_SYNC_PERIOD = Duration.ofSeconds(15);

  public ControllerSettings(long defaultTolerationSeconds, Duration nodeMonitorGracePeriod, String clusterCidr,
      int nodeCidrMaskSize, Duration horizontalPodAutoscalerSyncPeriod, VpaSettings vpa) {
    this(defaultTolerationSeconds, nodeMonitorGracePeriod, clusterCidr, nodeCidrMaskSize,
        horizontalPodAutoscalerSyncPeriod, vpa, "");
  }

  public ControllerSettings(long defaultTolerationSeconds, Duration nodeMonitorGracePeriod) {
    this(defaultTolerationSeconds, nodeMonitorGracePeriod, "10.244.0.0/16", 24, HPA_SYNC_PERIOD, VpaSettings.defaults());
  }

  /** These settings with another HPA sync period (tests shorten it). */
  public ControllerSettings withHorizontalPodAutoscalerSyncPeriod(Duration period) {
    return new ControllerSettings(defaultTolerationSeconds, nodeMonitorGracePeriod, clusterCidr, nodeCidrMaskSize, period, vpa,
        rootCaPem);
  }

  /** These settings with the vertical pod autoscaler's replaced. */
  public ControllerSettings withVpa(VpaSettings settings) {
    return new ControllerSettings(defaultTolerationSeconds, nodeMonitorGracePeriod, clusterCidr, nodeCidrMaskSize,
        horizontalPodAutoscalerSyncPeriod, settings, rootCaPem);
  }

  /** These settings with the cluster CA to publish (the control plane's ca.crt). */
  public ControllerSettings withRootCa(String pem) {
    return new ControllerSettings(defaultTolerationSeconds, nodeMonitorGracePeriod, clusterCidr, nodeCidrMaskSize,
        horizontalPodAutoscalerSyncPeriod, vpa, pem);
  }

  public static ControllerSettings defaults() {
    return new ControllerSettings(300, Duration.ofSeconds(40));
  }

  public static ControllerSettings from(Config k) {
    return new ControllerSettings(
        k.getLong("controllers.default-toleration-seconds"),
        k.getDuration("controllers.node-monitor-grace-period"),
        k.getString("controllers.cluster-cidr"),
        k.getInt("controllers.node-cidr-mask-size"),
        k.hasPath("controllers.horizontal-pod-autoscaler-sync-period")
            ? k.getDuration("controllers.horizontal-pod-autoscaler-sync-period") : HPA_SYNC_PERIOD,
        VpaSettings.from(k.hasPath("controllers.vpa") ? k.getConfig("controllers.vpa") : ConfigFactory.empty()));
  }
}
