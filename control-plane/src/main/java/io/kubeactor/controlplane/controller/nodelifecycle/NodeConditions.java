package io.kubeactor.controlplane.controller.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;

/** Reading a node's conditions (upstream's GetNodeCondition). */
final class NodeConditions {
  private NodeConditions() {}

  static NodeCondition get(Node node, String type) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) return null;
    for (NodeCondition c : node.getStatus().getConditions()) {
      if (type.equals(c.getType())) return c;
    }
    return null;
  }

  static NodeCondition ready(Node node) {
    return get(node, "Ready");
  }

  /** The Ready condition's status, null when the node has none. */
  static String readyStatus(Node node) {
    NodeCondition ready = ready(node);
    return ready == null ? null : ready.getStatus();
  }
}
