package io.kubeactor.controlplane.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * A scheduling plugin and the extension points it can implement, as in Kubernetes' scheduler
 * framework (pkg/scheduler/framework/interface.go). State computed once per pod goes into the
 * {@link CycleState}.
 */
public interface Plugin {

  /** The upstream plugin name, as it appears in messages ("node(s) didn't satisfy plugin(s) [NodeAffinity]"). */
  public String name();

  /** Work done once per pod before any node is checked. */
  public interface PreFilter extends Plugin {
    PreFilterResult preFilter(CycleState state, Pod pod);
  }

  /** Whether the pod may run on one node. */
  public interface Filter extends Plugin {
    Status filter(CycleState state, Pod pod, NodeInfo node);
  }

  /** Work done once per pod before scoring the feasible nodes; SKIP leaves the plugin's scores at 0. */
  public interface PreScore extends Plugin {
    Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes);
  }

  /** A raw score for one node, then normalised over all feasible nodes to 0..{@link #MAX_NODE_SCORE}. */
  public interface Score extends Plugin {
    long MAX_NODE_SCORE = 100;

    long score(CycleState state, Pod pod, NodeInfo node);

    /** Rewrites scores in place; the default leaves them as they are. */
    default void normalizeScore(CycleState state, Pod pod, long[] scores) {}
  }
}
