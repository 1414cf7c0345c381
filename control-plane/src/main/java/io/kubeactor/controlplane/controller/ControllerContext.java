package io.kubeactor.controlplane.controller;

import io.kubeactor.controlplane.client.ApiWriter;
import io.kubeactor.controlplane.client.FreshRead;
import io.kubeactor.controlplane.client.Informers;
import io.kubeactor.controlplane.client.MetricsClient;
import io.kubeactor.controlplane.events.EventRecorder;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Authorizer;
import java.time.Clock;

/**
 * What every controller is given: the client layer (the shared informers, the writer, and reads of
 * the store as it is now, for the decisions a lagging informer must not make), the resource metrics
 * API (for the autoscalers), events and the clock.
 */
public record ControllerContext(Informers informers, ApiWriter writer, FreshRead fresh, MetricsClient metrics,
    EventRecorder events, Clock clock, ControllerSettings settings) {

  /**
   * The context of a controller acting as {@code user} (kube-controller-manager's
   * --use-service-account-credentials): its writes and events authorized by {@code authorizer}.
   */
  public ControllerContext as(UserInfo user, Authorizer authorizer) {
    ApiWriter own = writer.as(user, authorizer);
    return new ControllerContext(informers, own, fresh, metrics, events.as(own), clock, settings);
  }

  public ControllerRefManager refs() {
    return new ControllerRefManager(writer);
  }
}
