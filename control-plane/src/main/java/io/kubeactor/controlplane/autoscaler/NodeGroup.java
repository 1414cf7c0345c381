package io.kubeactor.controlplane.autoscaler;

import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * A set of like nodes the autoscaler may grow and shrink, as cluster-autoscaler's
 * cloudprovider.NodeGroup: its bounds, which nodes are its own, the nodes asked for that have not
 * registered yet, and the two changes (add nodes, remove one). The Node objects are the API's; the
 * group only starts and stops what runs them.
 */
public interface NodeGroup {

  /** The group's name, as events and the status ConfigMap show it. */
  String id();

  int minSize();

  int maxSize();

  /** Whether the node belongs to this group (upstream NodeGroupForNode). */
  boolean contains(Node node);

  /**
   * The names of the nodes asked for that are not among the registered ones yet; a node that has
   * not registered within the provision time is given up (stopped) and no longer counted.
   */
  List<String> upcoming(Set<String> registered);

  /** The nodes asked for that failed to come up (exited, or not registered in time) since the last call. */
  List<String> takeFailed();

  /** Asks for {@code delta} more nodes; completes with their names once they are starting. */
  CompletionStage<List<String>> increaseSize(int delta);

  /** Stops what runs the node (its pods already drained); completes once it is gone. */
  CompletionStage<Void> deleteNode(String name);
}
