package io.kubeactor.controlplane.node;

import io.kubeactor.common.cluster.NodeProtocol;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One registered node's session with the gateway: the actor the node's agent sends everything to
 * after registering. Its name is random and told to that agent alone (over the cluster's TLS), so
 * what arrives here comes from the node that proved its identity; it reaches the gateway tagged with
 * the node's name, which the gateway holds it to (as kube-apiserver holds a kubelet to its client
 * certificate's name).
 */
final class NodeSession {

  /** A message from node {@code node}'s agent (local: no other member can send one). */
  record FromNode(String node, NodeProtocol.ToGateway message) implements NodeGateway.Command {}

  private NodeSession() {}

  static Behavior<NodeProtocol.ToGateway> create(String node, ActorRef<NodeGateway.Command> gateway) {
    return Behaviors.receiveMessage(m -> {
      gateway.tell(new FromNode(node, m));
      return Behaviors.same();
    });
  }
}
