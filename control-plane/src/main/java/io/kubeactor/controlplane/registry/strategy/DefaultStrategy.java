package io.kubeactor.controlplane.registry.strategy;

/** The strategy of a kind without rules of its own (an Event, a ServiceAccount): every default. */
enum DefaultStrategy implements ResourceStrategy {
  INSTANCE
}
