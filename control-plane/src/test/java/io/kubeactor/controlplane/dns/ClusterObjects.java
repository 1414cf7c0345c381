package io.kubeactor.controlplane.dns;

import io.kubeactor.controlplane.controller.ControllerFixture;
import java.util.ArrayList;
import java.util.List;

/** The Services and EndpointSlices the DNS tests answer from, written through the registry as a client would. */
final class ClusterObjects {
  private ClusterObjects() {}

  static void service(ControllerFixture f, String ns, String name, String clusterIp, String ports) {
    f.apply("""
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: %s}
        spec:
          clusterIP: %s
          ports: %s
        """.formatted(name, ns, clusterIp, ports));
  }

  static void externalName(ControllerFixture f, String ns, String name, String target) {
    f.apply("""
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: %s}
        spec: {type: ExternalName, externalName: %s}
        """.formatted(name, ns, target));
  }

  /** One endpoint: its address, hostname (or null) and readiness. */
  record Ep(String ip, String hostname, boolean ready) {}

  static void slice(ControllerFixture f, String ns, String service, String name, String ports, List<Ep> endpoints) {
    List<String> eps = new ArrayList<>();
    for (Ep e : endpoints) {
      eps.add("  - addresses: [\"" + e.ip() + "\"]\n    conditions: {ready: " + e.ready() + "}\n"
          + (e.hostname() == null ? "" : "    hostname: " + e.hostname() + "\n"));
    }
    f.apply("""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: %s
          namespace: %s
          labels: {kubernetes.io/service-name: %s}
        addressType: IPv4
        ports: %s
        endpoints:
        %s
        """.formatted(name, ns, service, ports, String.join("", eps)));
  }

  static void namespace(ControllerFixture f, String ns) {
    f.apply("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}");
  }
}
