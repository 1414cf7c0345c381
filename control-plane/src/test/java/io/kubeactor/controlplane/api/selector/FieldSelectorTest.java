package io.kubeactor.controlplane.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FieldSelectorTest {

  private static final ResourceRegistry REGISTRY = ResourceRegistry.builtIn();
  private static final ResourceType PODS = type("/api/v1", "pods");
  private static final ResourceType EVENTS = type("/api/v1", "events");
  private static final ResourceType NODES = type("/api/v1", "nodes");

  private static ResourceType type(String basePath, String plural) {
    return REGISTRY.find(basePath, plural).orElseThrow();
  }

  private static JsonNode yaml(String text) {
    try {
      return Json.YAML.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static JsonNode pod(String name, String nodeName, String phase) {
    return yaml("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
          namespace: default
        spec:
          %s
          restartPolicy: Always
          containers:
          - name: app
            image: busybox
        status:
          phase: %s
        """.formatted(name, nodeName == null ? "" : "nodeName: " + nodeName, phase));
  }

  private static final JsonNode SCHEDULED_EVENT = yaml("""
      apiVersion: v1
      kind: Event
      metadata:
        name: web-0.17f3a2b4c5d6e7f8
        namespace: default
      involvedObject:
        apiVersion: v1
        kind: Pod
        name: web-0
        namespace: default
        uid: 6f1c0d3e-4a2b-4c8d-9e10-2b7f5a6c1d84
        resourceVersion: "4211"
      reason: Scheduled
      message: Successfully assigned default/web-0 to node-1
      type: Normal
      source: {}
      reportingComponent: default-scheduler
      reportingInstance: default-scheduler-master
      count: 1
      """);

  private static void assertBadRequest(String selector, ResourceType type, String message) {
    assertThatThrownBy(() -> FieldSelector.parse(selector, type))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code).isEqualTo(400);
          assertThat(e.reason).isEqualTo("BadRequest");
        })
        .hasMessage(message);
  }

  @Test
  void selectsTheActivePodsOfANodeAsTheKubeletDoes() {
    FieldSelector selector =
        FieldSelector.parse("spec.nodeName=node-1,status.phase!=Succeeded,status.phase!=Failed", PODS);

    assertThat(selector.matches(pod("running", "node-1", "Running"))).isTrue();
    assertThat(selector.matches(pod("starting", "node-1", "Pending"))).isTrue();
    assertThat(selector.matches(pod("done", "node-1", "Succeeded"))).isFalse();
    assertThat(selector.matches(pod("crashed", "node-1", "Failed"))).isFalse();
    assertThat(selector.matches(pod("elsewhere", "node-2", "Running"))).isFalse();
    assertThat(selector.matches(pod("unbound", null, "Pending"))).isFalse();
    assertThat(selector.exactValue("spec.nodeName")).contains("node-1");
    assertThat(selector.exactValue("status.phase")).isEmpty();
    assertThat(selector).hasToString("spec.nodeName=node-1,status.phase!=Failed,status.phase!=Succeeded");
  }

  @Test
  void aMissingFieldReadsAsEmpty() {
    FieldSelector unbound = FieldSelector.parse("spec.nodeName=", PODS);

    assertThat(unbound.matches(pod("unbound", null, "Pending"))).isTrue();
    assertThat(unbound.matches(pod("bound", "node-1", "Pending"))).isFalse();
    assertThat(unbound.exactValue("spec.nodeName")).contains("");
    assertThat(FieldSelector.parse("spec.nodeName!=", PODS).matches(pod("bound", "node-1", "Running"))).isTrue();
  }

  @Test
  void selectsOnComputedPodFields() {
    JsonNode pod = yaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop}
        spec:
          nodeName: node-1
          serviceAccountName: web
          schedulerName: default-scheduler
          containers: [{name: app, image: nginx}]
        status:
          phase: Running
          podIP: 10.244.1.7
          podIPs: [{ip: 10.244.1.7}, {ip: "fd00::7"}]
        """);

    Stream.of("metadata.name=web", "metadata.namespace=shop", "spec.hostNetwork=false", "status.podIP=10.244.1.7",
            "spec.serviceAccountName=web", "spec.schedulerName=default-scheduler", "status.nominatedNodeName=",
            "spec.host=node-1", "status.podIPs=")
        .forEach(s -> assertThat(FieldSelector.parse(s, PODS).matches(pod)).as(s).isTrue());
    assertThat(FieldSelector.parse("spec.host=node-1", PODS)).hasToString("spec.nodeName=node-1");
  }

  @Test
  void selectsTheEventsOfOneObjectAsKubectlDescribeDoes() {
    FieldSelector selector = FieldSelector.parse(
        "involvedObject.name=web-0,involvedObject.namespace=default,involvedObject.uid=6f1c0d3e-4a2b-4c8d-9e10-2b7f5a6c1d84",
        EVENTS);

    assertThat(selector.matches(SCHEDULED_EVENT)).isTrue();
    assertThat(selector.exactValue("involvedObject.name")).contains("web-0");
    JsonNode otherPod = SCHEDULED_EVENT.deepCopy();
    ((ObjectNode) otherPod.path("involvedObject")).put("uid", "another");
    assertThat(selector.matches(otherPod)).isFalse();
  }

  @Test
  void eventSourceFallsBackToTheReportingComponent() {
    JsonNode kubeletEvent = yaml("""
        apiVersion: v1
        kind: Event
        metadata: {name: web-0.1, namespace: default}
        involvedObject: {kind: Pod, name: web-0, namespace: default}
        reason: Pulled
        type: Normal
        source: {component: kubelet, host: node-1}
        """);

    assertThat(FieldSelector.parse("source=kubelet", EVENTS).matches(kubeletEvent)).isTrue();
    assertThat(FieldSelector.parse("source=default-scheduler", EVENTS).matches(SCHEDULED_EVENT)).isTrue();
    assertThat(FieldSelector.parse("reportingComponent=default-scheduler,reason=Scheduled,type=Normal", EVENTS)
        .matches(SCHEDULED_EVENT)).isTrue();
    assertThat(FieldSelector.parse("involvedObject.kind=Pod,type==Warning", EVENTS).matches(kubeletEvent)).isFalse();
  }

  @Test
  void nodesSelectOnUnschedulable() {
    JsonNode cordoned = yaml("""
        apiVersion: v1
        kind: Node
        metadata: {name: node-2}
        spec: {unschedulable: true}
        """);
    JsonNode ready = yaml("""
        apiVersion: v1
        kind: Node
        metadata: {name: node-1}
        spec: {}
        """);

    FieldSelector schedulable = FieldSelector.parse("spec.unschedulable=false", NODES);
    assertThat(schedulable.matches(ready)).isTrue();
    assertThat(schedulable.matches(cordoned)).isFalse();
    assertThat(FieldSelector.parse("metadata.name=node-2", NODES).matches(cordoned)).isTrue();
  }

  @Test
  void unsupportedFieldsAreRejectedInEachKindsWords() {
    assertBadRequest("spec.foo=x", PODS, "field label not supported: spec.foo");
    assertBadRequest("metadata.namespace=default", NODES, "field label not supported: metadata.namespace");
    assertBadRequest("data.key=x", type("/api/v1", "configmaps"),
        "\"data.key\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
    // Kubernetes v1.32 registers no field conversion for apps/v1 ReplicaSets.
    assertBadRequest("status.replicas=0", type("/apis/apps/v1", "replicasets"),
        "\"status.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
    assertThat(FieldSelector.parse("metadata.namespace=default,metadata.name=x", type("/apis/apps/v1", "deployments"))
        .exactValue("metadata.name")).contains("x");
  }

  @Test
  void syntaxErrorsCarryKubernetesMessagesAndComeBeforeFieldErrors() {
    assertBadRequest("spec.nodeName", PODS, "invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'");
    assertBadRequest("spec.foo=x,zzz", PODS, "invalid selector: 'spec.foo=x,zzz'; can't understand 'zzz'");
    assertBadRequest("metadata.name=a=b", PODS, "invalid field selector: unescaped character in value: 61");
    assertBadRequest("metadata.name=a\\x", PODS, "invalid field selector: invalid escape sequence: \\x");
    assertBadRequest("metadata.name=a\\", PODS, "invalid field selector: invalid escape sequence: \\");
  }

  @Test
  void valuesMayEscapeCommasAndEquals() {
    JsonNode pod = pod("a,b=c", null, "Pending");
    FieldSelector selector = FieldSelector.parse("metadata.name=a\\,b\\=c,status.phase==Pending", PODS);

    assertThat(selector.terms()).containsExactly(
        new FieldSelector.Term("metadata.name", true, "a,b=c"),
        new FieldSelector.Term("status.phase", true, "Pending"));
    assertThat(selector.matches(pod)).isTrue();
    assertThat(selector).hasToString("metadata.name=a\\,b\\=c,status.phase=Pending");
    assertThat(FieldSelector.parse(selector.toString(), PODS).terms()).isEqualTo(selector.terms());
  }

  @Test
  void emptySelectsEverything() {
    for (String empty : List.of("", ",")) {
      FieldSelector selector = FieldSelector.parse(empty, PODS);
      assertThat(selector.isEverything()).isTrue();
      assertThat(selector.matches(pod("any", "node-1", "Running"))).isTrue();
      assertThat(selector.exactValue("metadata.name")).isEmpty();
      assertThat(selector).hasToString("");
    }
  }

  @Test
  void certificateSigningRequestsAreSelectedByNameAndSignerName() {
    ResourceType csrs = type("/apis/certificates.k8s.io/v1", "certificatesigningrequests");
    JsonNode csr = yaml("{metadata: {name: node-csr-1}, spec: {signerName: kubernetes.io/kube-apiserver-client-kubelet}}");
    assertThat(FieldSelector.parse("spec.signerName=kubernetes.io/kube-apiserver-client-kubelet", csrs).matches(csr)).isTrue();
    assertThat(FieldSelector.parse("spec.signerName=kubernetes.io/kubelet-serving", csrs).matches(csr)).isFalse();
    assertBadRequest("spec.username=jane", csrs, "field label not supported: spec.username");
  }
}
