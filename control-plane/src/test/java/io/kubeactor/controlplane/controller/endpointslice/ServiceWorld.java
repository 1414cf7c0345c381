package io.kubeactor.controlplane.controller.endpointslice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.store.WatchCache;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Services, nodes and pods for the endpoints controllers' tests, written as clients and the kubelet
 * would write them: pods bound to a node, then given an IP and a Ready condition.
 */
public final class ServiceWorld {

  private final ControllerFixture fixture;

  public ServiceWorld(ControllerFixture fixture) {
    this.fixture = fixture;
  }

  public void namespace(String ns) {
    fixture.apply("{apiVersion: v1, kind: Namespace, metadata: {name: " + ns + "}}");
  }

  /** A Service; {@code spec} is YAML for its spec (indented by the caller as a block). */
  public ObjectNode service(String ns, String name, String labels, String spec) {
    return fixture.apply("""
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: %s, labels: %s}
        spec:
        %s
        """.formatted(name, ns, labels == null ? "{}" : labels, spec.indent(2)));
  }

  public void node(String name, String zone) {
    String labels = zone == null ? "{}" : "{topology.kubernetes.io/zone: " + zone + "}";
    fixture.apply("{apiVersion: v1, kind: Node, metadata: {name: " + name + ", labels: " + labels + "}}");
  }

  /** A pod bound to {@code node} with one container; {@code extraSpec} adds spec fields (YAML lines). */
  public void pod(String ns, String name, String labels, String node, String containerPorts, String extraSpec) {
    fixture.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: %s, labels: %s}
        spec:
          nodeName: %s
          containers: [{name: c, image: nginx, ports: %s}]
        %s
        """.formatted(name, ns, labels, node, containerPorts == null ? "[]" : containerPorts,
        extraSpec == null ? "" : extraSpec.indent(2)));
  }

  /** What the kubelet reports: Running with the IP, Ready or not. */
  public void running(String ns, String name, String ip, boolean ready) {
    fixture.changeStatus("v1", "Pod", ns, name, o -> {
      ObjectNode status = o.with("status");
      status.put("phase", "Running");
      status.put("podIP", ip);
      status.putArray("podIPs").addObject().put("ip", ip);
      ObjectNode condition = status.putArray("conditions").addObject();
      condition.put("type", "Ready").put("status", ready ? "True" : "False");
      condition.put("lastTransitionTime", Timestamps.format(java.time.Instant.now()));
      return o;
    });
  }

  public void phase(String ns, String name, String phase) {
    fixture.changeStatus("v1", "Pod", ns, name, o -> {
      o.with("status").put("phase", phase);
      return o;
    });
  }

  /** A bound pod deleted as kubectl does: it stays, terminating, until its kubelet finishes it. */
  public void terminate(String ns, String name) {
    fixture.delete("v1", "Pod", ns, name, null);
  }

  /** A pod removed at once (grace period 0). */
  public void remove(String ns, String name) {
    ResourceType pods = fixture.registry.types().byKind("v1", "Pod").orElseThrow();
    try {
      fixture.registry.delete(pods, ns, name, new DeleteOptions(0L, null, null, null, false))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every change the store publishes under a kind's prefix from now on (to count writes). */
  public List<WatchCache.Change> record(String apiVersion, String kind) {
    ResourceType t = fixture.registry.types().byKind(apiVersion, kind).orElseThrow();
    List<WatchCache.Change> changes = new CopyOnWriteArrayList<>();
    fixture.registry.cache().watchFromNow(t.storePrefix(), changes::add);
    return changes;
  }
}
