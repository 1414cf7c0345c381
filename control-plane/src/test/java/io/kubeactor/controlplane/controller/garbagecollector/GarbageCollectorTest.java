package io.kubeactor.controlplane.controller.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kubeactor.controlplane.controller.Controller;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.controller.replicaset.ReplicaSetController;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The garbage collector with the replicaset controller over a real store: the three deletion policies. */
class GarbageCollectorTest {

  static final ControllerFixture fixture = new ControllerFixture();
  static ActorRef<Controller.Command> replicaSets;
  static ActorRef<Controller.Command> collector;

  @BeforeAll
  static void startControllers() {
    replicaSets = fixture.start(new ReplicaSetController(fixture.context));
    collector = fixture.start(new GarbageCollector(fixture.context));
  }

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  static void namespace(String ns) {
    fixture.apply("{apiVersion: v1, kind: Namespace, metadata: {name: " + ns + "}}");
  }

  /** A ReplicaSet whose pods exist, returned with them. */
  static ReplicaSet replicaSetWithPods(String ns, int replicas) {
    fixture.apply("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web, namespace: %s}
        spec:
          replicas: %d
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: c, image: nginx}]}
        """.formatted(ns, replicas));
    await().until(() -> fixture.list(Pod.class, ns).size() == replicas);
    return fixture.get(ReplicaSet.class, ns, "web");
  }

  static ObjectNode configMap(String ns, String name, ObjectNode... owners) {
    StringBuilder refs = new StringBuilder();
    for (ObjectNode o : owners) {
      refs.append(refs.isEmpty() ? "" : ", ").append("{apiVersion: v1, kind: ConfigMap, name: %s, uid: %s, blockOwnerDeletion: true}"
          .formatted(o.path("metadata").path("name").asText(), o.path("metadata").path("uid").asText()));
    }
    return fixture.apply("{apiVersion: v1, kind: ConfigMap, metadata: {name: %s, namespace: %s%s}}"
        .formatted(name, ns, owners.length == 0 ? "" : ", ownerReferences: [" + refs + "]"));
  }

  /** The garbage collector's key of a pod ("pods/namespace/name"). */
  static String podKey(Pod p) {
    return "pods/" + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
  }

  static ConfigMap cm(String ns, String name) {
    return fixture.get(ConfigMap.class, ns, name);
  }

  @Test
  void backgroundDeletionRemovesTheOwnerAtOnceAndThenItsPods() {
    namespace("gc-background");
    replicaSetWithPods("gc-background", 3);
    fixture.delete("apps/v1", "ReplicaSet", "gc-background", "web", "Background");
    assertThat(fixture.registry.cache().state().get("apps/replicasets/gc-background/web")).isNull();
    await().until(() -> fixture.list(Pod.class, "gc-background").isEmpty());
  }

  @Test
  void aDeletionWithoutPolicyIsInTheBackgroundToo() {
    namespace("gc-default");
    replicaSetWithPods("gc-default", 2);
    fixture.delete("apps/v1", "ReplicaSet", "gc-default", "web", null);
    await().until(() -> fixture.list(Pod.class, "gc-default").isEmpty());
  }

  @Test
  void foregroundDeletionKeepsTheOwnerUntilItsPodsAreGone() {
    String ns = "gc-foreground";
    namespace(ns);
    replicaSetWithPods(ns, 2);
    // a finalizer holds one pod back once its deletion starts, as a kubelet's grace period would
    String held = fixture.list(Pod.class, ns).get(0).getMetadata().getName();
    fixture.change("v1", "Pod", ns, held, o -> {
      o.with("metadata").putArray("finalizers").add("example.com/hold");
      return o;
    });

    fixture.delete("apps/v1", "ReplicaSet", ns, "web", "Foreground");
    await().until(() -> fixture.list(Pod.class, ns).size() == 1
        && fixture.get(Pod.class, ns, held).getMetadata().getDeletionTimestamp() != null);
    // both controllers have seen the owner waiting on the held pod
    fixture.awaitReconciled(collector, "replicasets.apps/" + ns + "/web", "pods/" + ns + "/" + held);
    fixture.awaitReconciled(replicaSets, ns + "/web");
    ReplicaSet rs = fixture.get(ReplicaSet.class, ns, "web");
    assertThat(rs).isNotNull();
    assertThat(rs.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(rs.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");
    // the replicaset controller does not replace pods of a ReplicaSet being deleted
    assertThat(fixture.list(Pod.class, ns)).hasSize(1);

    fixture.change("v1", "Pod", ns, held, o -> {
      ((ObjectNode) o.get("metadata")).remove("finalizers");
      return o;
    });
    await().until(() -> fixture.get(ReplicaSet.class, ns, "web") == null);
    assertThat(fixture.list(Pod.class, ns)).isEmpty();
  }

  @Test
  void orphanDeletionLeavesThePodsWithoutTheReference() {
    namespace("gc-orphan");
    replicaSetWithPods("gc-orphan", 2);
    // the collector orphans the dependents its graph holds, as upstream's attemptToOrphan does: a pod
    // it has not seen yet when the owner goes keeps a dangling reference and is collected later
    fixture.awaitReconciled(collector, fixture.list(Pod.class, "gc-orphan").stream().map(GarbageCollectorTest::podKey)
        .toArray(String[]::new));
    fixture.delete("apps/v1", "ReplicaSet", "gc-orphan", "web", "Orphan");
    await().until(() -> fixture.get(ReplicaSet.class, "gc-orphan", "web") == null);
    // the collector has looked at each pod since its owner went
    fixture.awaitReconciled(collector, fixture.list(Pod.class, "gc-orphan").stream().map(GarbageCollectorTest::podKey)
        .toArray(String[]::new));
    List<Pod> pods = fixture.list(Pod.class, "gc-orphan");
    assertThat(pods).hasSize(2).allSatisfy(p -> {
      assertThat(p.getMetadata().getOwnerReferences()).isNullOrEmpty();
      assertThat(p.getMetadata().getDeletionTimestamp()).isNull();
    });
  }

  @Test
  void aDependentWithTwoOwnersGoesOnlyWithTheLast() {
    namespace("gc-two");
    ObjectNode a = configMap("gc-two", "owner-a");
    ObjectNode b = configMap("gc-two", "owner-b");
    configMap("gc-two", "dependent", a, b);
    fixture.delete("v1", "ConfigMap", "gc-two", "owner-a", null);
    await().until(() -> cm("gc-two", "dependent").getMetadata().getOwnerReferences().size() == 1);
    assertThat(cm("gc-two", "dependent").getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("owner-b");

    fixture.delete("v1", "ConfigMap", "gc-two", "owner-b", null);
    await().until(() -> cm("gc-two", "dependent") == null);
  }

  @Test
  void foregroundDeletionGoesDownAChainOfOwners() {
    namespace("gc-chain");
    ObjectNode top = configMap("gc-chain", "top");
    ObjectNode middle = configMap("gc-chain", "middle", top);
    configMap("gc-chain", "bottom", middle);
    fixture.delete("v1", "ConfigMap", "gc-chain", "top", "Foreground");
    await().until(() -> cm("gc-chain", "top") == null);
    assertThat(cm("gc-chain", "middle")).isNull();
    assertThat(cm("gc-chain", "bottom")).isNull();
  }

  @Test
  void anObjectCreatedForAnOwnerThatDoesNotExistIsCollected() {
    namespace("gc-dangling");
    fixture.apply("""
        {apiVersion: v1, kind: ConfigMap, metadata: {name: stray, namespace: gc-dangling,
          ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: gone, uid: 0000-gone}]}}
        """);
    await().until(() -> cm("gc-dangling", "stray") == null);
  }

  @Test
  void anOwnerOfAKindTheApiDoesNotKnowIsNotTakenForGone() {
    namespace("gc-unknown");
    fixture.apply("""
        {apiVersion: v1, kind: ConfigMap, metadata: {name: kept, namespace: gc-unknown,
          ownerReferences: [{apiVersion: example.com/v1, kind: Widget, name: w, uid: "1234"}]}}
        """);
    fixture.awaitReconciled(collector, "configmaps/gc-unknown/kept");
    assertThat(cm("gc-unknown", "kept")).isNotNull();
    assertThat(cm("gc-unknown", "kept").getMetadata().getOwnerReferences()).hasSize(1);
  }
}
