package io.kubeactor.controlplane.scheduler.framework;

import java.util.HashMap;
import java.util.Map;

/**
 * What one scheduling attempt knows: the cluster snapshot, and what plugins computed in PreFilter
 * and PreScore for later extension points, keyed by the state's type.
 */
public final class CycleState {
  private final Snapshot snapshot;
  private final Map<Class<?>, Object> data = new HashMap<>();

  public CycleState(Snapshot snapshot) {
    this.snapshot = snapshot;
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  public <T> void write(Class<T> key, T value) {
    data.put(key, value);
  }

  /** The state a plugin wrote, or null if it wrote none (its PreFilter or PreScore was skipped). */
  public <T> T read(Class<T> key) {
    return key.cast(data.get(key));
  }
}
