package io.kubeactor.controlplane.controller.deployment;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;

/**
 * A Deployment's ReplicaSets split as a rollout sees them: the new one (whose template is the
 * Deployment's; null until it is created) and all the old ones.
 */
record NewAndOld(ReplicaSet newRS, List<ReplicaSet> oldRSs) {

  /** Old and new together (upstream's {@code append(oldRSs, newRS)}); the new one only if it exists. */
  List<ReplicaSet> all() {
    List<ReplicaSet> all = new ArrayList<>(oldRSs);
    if (newRS != null) all.add(newRS);
    return all;
  }

  /** The same split, with each ReplicaSet at the latest version the rollout has seen. */
  NewAndOld latest(Rollout r) {
    return new NewAndOld(r.latest(newRS), r.latest(oldRSs));
  }
}
