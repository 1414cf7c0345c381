package io.kubeactor.controlplane.security.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.serviceaccount.BoundObjects;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** noderestriction/admission.go's refusals, with its messages, as the registry's hooks see the writes of n1. */
class NodeRestrictionTest {

  private static final ResourceRegistry TYPES = ResourceRegistry.builtIn();
  private static final ResourceType PODS = TYPES.find("/api/v1", "pods").orElseThrow();
  private static final ResourceType NODES = TYPES.find("/api/v1", "nodes").orElseThrow();
  private static final ResourceType ACCOUNTS = TYPES.find("/api/v1", "serviceaccounts").orElseThrow();
  private static final ResourceType CLAIMS = TYPES.find("/api/v1", "persistentvolumeclaims").orElseThrow();
  private static final ResourceType LEASES = TYPES.find("/apis/coordination.k8s.io/v1", "leases").orElseThrow();
  private static final UserInfo N1 = NodeIdentity.userFor("n1");

  private final Map<String, Object> stored = new java.util.HashMap<>();
  private final NodeRestriction restriction = new NodeRestriction(new BoundObjects() {
    @Override
    public Optional<ServiceAccount> serviceAccount(String namespace, String name) {
      return Optional.empty();
    }

    @Override
    public Optional<Pod> pod(String namespace, String name) {
      return Optional.ofNullable((Pod) stored.get("pod/" + namespace + "/" + name));
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
      return Optional.empty();
    }

    @Override
    public Optional<Node> node(String name) {
      return Optional.ofNullable((Node) stored.get("node/" + name));
    }
  });

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static ObjectNode pod(String name, String node) {
    return json("{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"namespace\": \"default\", \"name\": \"" + name
        + "\", \"uid\": \"uid-" + name + "\", \"labels\": {\"app\": \"web\"}}, \"spec\": {\"nodeName\": \"" + node + "\"}}");
  }

  private static ObjectNode node(String name, String labels, String taints) {
    return json("{\"apiVersion\": \"v1\", \"kind\": \"Node\", \"metadata\": {\"name\": \"" + name + "\", \"uid\": \"uid-" + name
        + "\", \"labels\": {" + labels + "}}, \"spec\": {\"taints\": [" + taints + "]}}");
  }

  private static void refused(ThrowingCallable call, String message) {
    ApiException e = catchThrowableOfType(call, ApiException.class);
    assertThat(e).as("refused").isNotNull();
    assertThat(e.code).isEqualTo(403);
    assertThat(e.getMessage()).isEqualTo(message);
  }

  @Test
  void aNodeWritesTheStatusOfItsOwnPodsOnly() {
    ObjectNode mine = pod("web", "n1");
    ObjectNode written = mine.deepCopy();
    written.putObject("status").put("phase", "Running");
    assertThatCode(() -> restriction.checkSubresource(PODS, "status", "default", "web", written, mine, N1)).doesNotThrowAnyException();
    ObjectNode theirs = pod("db", "n2");
    refused(() -> restriction.checkSubresource(PODS, "status", "default", "db", theirs, theirs, N1),
        "pods \"db\" is forbidden: node \"n1\" can only update pod status for pods with spec.nodeName set to itself");
    ObjectNode relabelled = written.deepCopy();
    relabelled.with("metadata").with("labels").put("app", "other");
    refused(() -> restriction.checkSubresource(PODS, "status", "default", "web", relabelled, mine, N1),
        "pods \"web\" is forbidden: node \"n1\" cannot update labels through pod status");
    refused(() -> restriction.checkSubresource(PODS, "resize", "default", "web", written, mine, N1),
        "pods \"web\" is forbidden: unexpected pod subresource \"resize\", only 'status' and 'eviction' are allowed");
    // the agents' channel: the same check by node name
    refused(() -> restriction.admitPodStatus("n1", theirs, theirs),
        "pods \"db\" is forbidden: node \"n1\" can only update pod status for pods with spec.nodeName set to itself");
  }

  @Test
  void aNodeDeletesAndEvictsItsOwnPodsOnly() {
    assertThatCode(() -> restriction.checkDelete(PODS, pod("web", "n1"), N1)).doesNotThrowAnyException();
    refused(() -> restriction.checkDelete(PODS, pod("db", "n2"), N1),
        "pods \"db\" is forbidden: node \"n1\" can only delete pods with spec.nodeName set to itself");
    ObjectNode eviction = json("{\"metadata\": {\"name\": \"db\"}}");
    refused(() -> restriction.checkSubresource(PODS, "eviction", "default", "db", eviction, pod("db", "n2"), N1),
        "pods \"db\" is forbidden: node n1 can only evict pods with spec.nodeName set to itself");
    ApiException gone = catchThrowableOfType(
        () -> restriction.checkSubresource(PODS, "eviction", "default", "gone", eviction, null, N1), ApiException.class);
    assertThat(gone.code).isEqualTo(404);
    assertThat(gone.getMessage()).isEqualTo("pods \"gone\" not found");
    refused(() -> restriction.check(PODS, pod("web", "n1"), pod("web", "n1"), N1),
        "pods \"web\" is forbidden: unexpected operation \"UPDATE\", node \"n1\" can only create and delete mirror pods");
  }

  @Test
  void aNodeCreatesOnlyMirrorPodsOwnedByItselfThatNameNoOtherObject() {
    stored.put("node/n1", NodeObjects.read(node("n1", "", "").toString(), Node.class));
    refused(() -> restriction.check(PODS, pod("static", "n1"), null, N1),
        "pods \"static\" is forbidden: pod does not have \"kubernetes.io/config.mirror\" annotation, node \"n1\" can only create mirror pods");
    ObjectNode mirror = pod("static-n1", "n1");
    mirror.with("metadata").putObject("annotations").put("kubernetes.io/config.mirror", "hash");
    refused(() -> restriction.check(PODS, mirror, null, N1),
        "pods \"static-n1\" is forbidden: node \"n1\" can only create pods with an owner reference set to itself");
    mirror.with("metadata").putArray("ownerReferences").addObject()
        .put("apiVersion", "v1").put("kind", "Node").put("name", "n1").put("uid", "uid-n1").put("controller", true);
    assertThatCode(() -> restriction.check(PODS, mirror, null, N1)).doesNotThrowAnyException();
    ObjectNode elsewhere = mirror.deepCopy();
    elsewhere.with("spec").put("nodeName", "n2");
    refused(() -> restriction.check(PODS, elsewhere, null, N1),
        "pods \"static-n1\" is forbidden: node \"n1\" can only create pods with spec.nodeName set to itself");
    ObjectNode withSecret = mirror.deepCopy();
    withSecret.with("spec").putArray("imagePullSecrets").addObject().put("name", "pull");
    refused(() -> restriction.check(PODS, withSecret, null, N1),
        "pods \"static-n1\" is forbidden: node \"n1\" can not create pods that reference secrets");
    ObjectNode stale = mirror.deepCopy();
    ((ObjectNode) stale.with("metadata").withArray("ownerReferences").get(0)).put("uid", "old");
    refused(() -> restriction.check(PODS, stale, null, N1), "pods \"static-n1\" is forbidden: node n1 UID mismatch: expected old got uid-n1");
  }

  @Test
  void aNodeModifiesItsOwnNodeButNotItsTaintsOrProtectedLabels() {
    ObjectNode n2 = node("n2", "", "");
    refused(() -> restriction.checkSubresource(NODES, "status", "", "n2", n2, n2, N1),
        "nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");
    refused(() -> restriction.check(NODES, n2, n2, N1), "nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");
    ObjectNode n1 = node("n1", "\"kubernetes.io/hostname\": \"n1\"", "{\"key\": \"dedicated\", \"effect\": \"NoSchedule\"}");
    ObjectNode heartbeat = n1.deepCopy();
    heartbeat.putObject("status").put("phase", "Running");
    heartbeat.with("metadata").with("labels").put("node.kubernetes.io/instance-type", "big").put("team", "a");
    assertThatCode(() -> restriction.check(NODES, heartbeat, n1, N1)).doesNotThrowAnyException();
    ObjectNode untainted = n1.deepCopy();
    untainted.with("spec").putArray("taints");
    refused(() -> restriction.check(NODES, untainted, n1, N1), "nodes \"n1\" is forbidden: node \"n1\" is not allowed to modify taints");
    ObjectNode relabelled = n1.deepCopy();
    relabelled.with("metadata").with("labels").put("node-restriction.kubernetes.io/pci", "true")
        .put("node-role.kubernetes.io/control-plane", "");
    refused(() -> restriction.check(NODES, relabelled, n1, N1), "nodes \"n1\" is forbidden: is not allowed to modify labels: "
        + "node-restriction.kubernetes.io/pci, node-role.kubernetes.io/control-plane");
    refused(() -> restriction.check(NODES, relabelled, null, N1), "nodes \"n1\" is forbidden: node \"n1\" is not allowed to set the "
        + "following labels: node-restriction.kubernetes.io/pci, node-role.kubernetes.io/control-plane");
    ObjectNode configured = n1.deepCopy();
    configured.with("spec").putObject("configSource").putObject("configMap").put("name", "kubelet");
    refused(() -> restriction.check(NODES, configured, null, N1),
        "nodes \"n1\" is forbidden: node \"n1\" is not allowed to create pods with a non-nil configSource");
  }

  @Test
  void aNodeUsesItsOwnLeaseInKubeNodeLeaseOnly() {
    ObjectNode own = json("{\"metadata\": {\"namespace\": \"kube-node-lease\", \"name\": \"n1\"}}");
    assertThatCode(() -> restriction.check(LEASES, own, null, N1)).doesNotThrowAnyException();
    ObjectNode other = json("{\"metadata\": {\"namespace\": \"kube-node-lease\", \"name\": \"n2\"}}");
    refused(() -> restriction.check(LEASES, other, null, N1), "leases.coordination.k8s.io \"n2\" is forbidden: "
        + "can only access node lease with the same name as the requesting node");
    ObjectNode elsewhere = json("{\"metadata\": {\"namespace\": \"default\", \"name\": \"n1\"}}");
    refused(() -> restriction.check(LEASES, elsewhere, null, N1), "leases.coordination.k8s.io \"n1\" is forbidden: "
        + "can only access leases in the \"kube-node-lease\" system namespace");
  }

  @Test
  void aNodeAsksForTokensBoundToItsOwnPodsOnly() {
    stored.put("pod/default/web", NodeObjects.read(pod("web", "n1").toString(), Pod.class));
    stored.put("pod/default/db", NodeObjects.read(pod("db", "n2").toString(), Pod.class));
    ObjectNode sa = json("{}");
    ThrowingCallable unbound = () -> restriction.checkSubresource(ACCOUNTS, "token", "default", "runner",
        json("{\"spec\": {\"audiences\": [\"x\"]}}"), sa, N1);
    refused(unbound, "serviceaccounts \"runner\" is forbidden: node requested token not bound to a pod");
    refused(() -> restriction.checkSubresource(ACCOUNTS, "token", "default", "runner",
        json("{\"spec\": {\"boundObjectRef\": {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"name\": \"web\"}}}"), sa, N1),
        "serviceaccounts \"runner\" is forbidden: node requested token with a pod binding without a uid");
    refused(() -> restriction.checkSubresource(ACCOUNTS, "token", "default", "runner",
        json("{\"spec\": {\"boundObjectRef\": {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"name\": \"db\", \"uid\": \"uid-db\"}}}"), sa, N1),
        "serviceaccounts \"runner\" is forbidden: node requested token bound to a pod scheduled on a different node");
    refused(() -> restriction.checkSubresource(ACCOUNTS, "token", "default", "runner",
        json("{\"spec\": {\"boundObjectRef\": {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"name\": \"web\", \"uid\": \"x\"}}}"), sa, N1),
        "serviceaccounts \"runner\" is forbidden: the UID in the bound object reference (x) does not match the UID in record. "
            + "The object might have been deleted and then recreated");
    assertThatCode(() -> restriction.checkSubresource(ACCOUNTS, "token", "default", "runner",
        json("{\"spec\": {\"boundObjectRef\": {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"name\": \"web\", \"uid\": \"uid-web\"}}}"),
        sa, N1)).doesNotThrowAnyException();
  }

  @Test
  void claimsOnlyHaveTheirStatusReported() {
    ObjectNode claim = json("{\"metadata\": {\"namespace\": \"default\", \"name\": \"data\", \"resourceVersion\": \"4\"}, "
        + "\"status\": {\"phase\": \"Bound\"}}");
    ObjectNode resized = claim.deepCopy();
    resized.with("status").putObject("capacity").put("storage", "2Gi");
    assertThatCode(() -> restriction.checkSubresource(CLAIMS, "status", "default", "data", resized, claim, N1))
        .doesNotThrowAnyException();
    refused(() -> restriction.check(CLAIMS, claim, claim, N1), "persistentvolumeclaims \"data\" is forbidden: may only update PVC status");
  }

  @Test
  void otherUsersPassUntouchedAndANamelessNodeIsRefused() {
    ObjectNode theirs = pod("db", "n2");
    assertThatCode(() -> restriction.checkDelete(PODS, theirs, UserInfo.of("jane", UserInfo.AUTHENTICATED))).doesNotThrowAnyException();
    assertThatCode(() -> restriction.checkDelete(PODS, theirs, null)).doesNotThrowAnyException();
    UserInfo nameless = new UserInfo("system:node:", "", java.util.List.of(NodeIdentity.NODES_GROUP), Map.of());
    refused(() -> restriction.checkDelete(PODS, theirs, nameless),
        "pods \"db\" is forbidden: could not determine node from user \"system:node:\"");
  }
}
