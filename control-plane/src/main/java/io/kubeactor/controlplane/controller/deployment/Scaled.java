package io.kubeactor.controlplane.controller.deployment;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

/** What scaling a ReplicaSet did: whether its spec.replicas changed, and the ReplicaSet as it now is. */
record Scaled(boolean scaled, ReplicaSet rs) {}
