package io.kubeactor.controlplane.controller;

import io.kubeactor.controlplane.client.ApiWriter;
import io.kubeactor.controlplane.client.FreshRead;
import io.kubeactor.controlplane.client.Informers;
import io.kubeactor.controlplane.events.EventRecorder;
import io.kubeactor.controlplane.registry.Registry;
import java.time.Clock;

/** What every controller is given: the shared informers, the write path, events and the clock. */
public record ControllerContext(Registry registry, Informers informers, ApiWriter writer, EventRecorder events,
    Clock clock, ControllerSettings settings) {

  public static ControllerContext create(Registry registry, EventRecorder events, Clock clock, ControllerSettings settings) {
    Informers informers = new Informers(registry);
    return new ControllerContext(registry, informers, new ApiWriter(registry, informers), events, clock, settings);
  }

  /** Reads of the store as it is now, for the decisions a lagging informer must not make. */
  public FreshRead fresh() {
    return new FreshRead(registry);
  }

  public ControllerRefManager refs() {
    return new ControllerRefManager(writer);
  }
}
