package io.kubeactor.controlplane.controller.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kubeactor.common.Json;
import org.junit.jupiter.api.Test;

class NodeEligibilityTest {

  static Node node(String yaml) throws Exception {
    return Json.fromTree(Json.YAML.readTree("{apiVersion: v1, kind: Node, " + yaml + "}"), Node.class);
  }

  static DaemonSet ds(String podSpec) throws Exception {
    return Json.fromTree(Json.YAML.readTree("""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: d, namespace: default}
        spec:
          selector: {matchLabels: {app: d}}
          template:
            metadata: {labels: {app: d}}
            spec: {containers: [{name: c, image: i}], %s}
        """.formatted(podSpec)), DaemonSet.class);
  }

  static NodeEligibility of(String node, String podSpec) throws Exception {
    return NodeEligibility.of(node(node), ds(podSpec));
  }

  @Test
  void requiredNodeAffinityAndNodeSelectorMustMatch() throws Exception {
    String affinity = "affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: "
        + "[{matchExpressions: [{key: kubernetes.io/os, operator: In, values: [linux]}]}]}}}";
    assertThat(of("metadata: {name: a, labels: {kubernetes.io/os: linux}}", affinity)).isEqualTo(new NodeEligibility(true, true));
    assertThat(of("metadata: {name: a, labels: {kubernetes.io/os: windows}}", affinity)).isEqualTo(NodeEligibility.NO);
    assertThat(of("metadata: {name: a, labels: {disk: ssd}}", "nodeSelector: {disk: ssd}")).isEqualTo(new NodeEligibility(true, true));
    assertThat(of("metadata: {name: a}", "nodeSelector: {disk: ssd}")).isEqualTo(NodeEligibility.NO);
    assertThat(of("metadata: {name: a}", "nodeName: b")).isEqualTo(NodeEligibility.NO);
  }

  @Test
  void anUntoleratedNoScheduleTaintOnlyKeepsNewPodsAwayANoExecuteOneEvicts() throws Exception {
    assertThat(of("metadata: {name: a}, spec: {taints: [{key: k, effect: NoSchedule}]}", "hostNetwork: false"))
        .isEqualTo(new NodeEligibility(false, true));
    assertThat(of("metadata: {name: a}, spec: {taints: [{key: k, effect: NoExecute}]}", "hostNetwork: false"))
        .isEqualTo(NodeEligibility.NO);
    assertThat(of("metadata: {name: a}, spec: {taints: [{key: k, effect: PreferNoSchedule}]}", "hostNetwork: false"))
        .isEqualTo(new NodeEligibility(true, true));
  }

  @Test
  void daemonPodsTolerateNodeProblemsAndHostNetworkOnesAnUnreadyNetwork() throws Exception {
    for (String taint : new String[] {"node.kubernetes.io/not-ready, effect: NoExecute", "node.kubernetes.io/unreachable, effect: NoExecute",
        "node.kubernetes.io/disk-pressure, effect: NoSchedule", "node.kubernetes.io/memory-pressure, effect: NoSchedule",
        "node.kubernetes.io/pid-pressure, effect: NoSchedule", "node.kubernetes.io/unschedulable, effect: NoSchedule"}) {
      assertThat(of("metadata: {name: a}, spec: {taints: [{key: " + taint + "}]}", "hostNetwork: false").shouldRun()).as(taint).isTrue();
    }
    String network = "metadata: {name: a}, spec: {taints: [{key: node.kubernetes.io/network-unavailable, effect: NoSchedule}]}";
    assertThat(of(network, "hostNetwork: false").shouldRun()).isFalse();
    assertThat(of(network, "hostNetwork: true").shouldRun()).isTrue();
  }

  @Test
  void theDaemonTolerationsReplaceAnEqualOneAndKeepOthers() throws Exception {
    DaemonSet ds = ds("tolerations: [{key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 10},"
        + " {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}]");
    Pod pod = NodeEligibility.newPod(ds, "a");
    assertThat(pod.getSpec().getTolerations()).hasSize(7);
    assertThat(pod.getSpec().getTolerations().get(0).getKey()).isEqualTo("node.kubernetes.io/not-ready");
    assertThat(pod.getSpec().getTolerations().get(0).getTolerationSeconds()).isNull();
    assertThat(ds.getSpec().getTemplate().getSpec().getTolerations().get(0).getTolerationSeconds()).isEqualTo(10L);
  }
}
