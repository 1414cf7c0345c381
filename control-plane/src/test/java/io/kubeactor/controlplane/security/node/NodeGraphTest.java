package io.kubeactor.controlplane.security.node;

import static io.kubeactor.controlplane.security.node.NodeObjects.pod;
import static io.kubeactor.controlplane.security.node.NodeObjects.volume;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.security.node.NodeGraph.Kind;
import org.junit.jupiter.api.Test;

/** What the graph relates to a node as pods and volumes come, change and go (graph_populator.go). */
class NodeGraphTest {

  private final NodeGraph graph = new NodeGraph();

  private boolean secret(String node, String name) {
    return graph.related(node, Kind.SECRET, "default", name);
  }

  @Test
  void everyWayAPodNamesASecretRelatesItToThePodsNode() {
    graph.setPod(pod("web", "n1", """
        "imagePullSecrets": [{"name": "pull"}],
        "initContainers": [{"name": "i", "image": "x", "envFrom": [{"secretRef": {"name": "init-env"}}]}],
        "containers": [{"name": "c", "image": "x",
          "env": [{"name": "A", "valueFrom": {"secretKeyRef": {"name": "env-key", "key": "k"}}}]}],
        "ephemeralContainers": [{"name": "debug", "image": "x", "envFrom": [{"secretRef": {"name": "debug-env"}}]}],
        "volumes": [
          {"name": "s", "secret": {"secretName": "vol"}},
          {"name": "p", "projected": {"sources": [{"secret": {"name": "projected"}}, {"configMap": {"name": "projected-cm"}}]}},
          {"name": "csi", "csi": {"driver": "d", "nodePublishSecretRef": {"name": "csi-publish"}}},
          {"name": "cm", "configMap": {"name": "settings"}}]
        """));
    for (String s : new String[] {"pull", "init-env", "env-key", "debug-env", "vol", "projected", "csi-publish"}) {
      assertThat(secret("n1", s)).as(s).isTrue();
      assertThat(secret("n2", s)).as(s + " from another node").isFalse();
    }
    assertThat(graph.related("n1", Kind.CONFIGMAP, "default", "settings")).isTrue();
    assertThat(graph.related("n1", Kind.CONFIGMAP, "default", "projected-cm")).isTrue();
    assertThat(graph.related("n1", Kind.CONFIGMAP, "other", "settings")).as("another namespace").isFalse();
    assertThat(graph.related("n1", Kind.POD, "default", "web")).isTrue();
    assertThat(secret("n1", "settings")).as("a ConfigMap's name is no Secret").isFalse();
  }

  @Test
  void aPodRelatesNothingUntilBoundAndNothingOnceDeleted() {
    graph.setPod(pod("web", null, "\"volumes\": [{\"name\": \"s\", \"secret\": {\"secretName\": \"token\"}}]"));
    assertThat(secret("n1", "token")).isFalse();
    graph.setPod(pod("web", "n1", "\"volumes\": [{\"name\": \"s\", \"secret\": {\"secretName\": \"token\"}}]"));
    assertThat(secret("n1", "token")).isTrue();
    graph.deletePod("default", "web");
    assertThat(secret("n1", "token")).isFalse();
    assertThat(graph.related("n1", Kind.POD, "default", "web")).isFalse();
  }

  @Test
  void aPodMadeAgainOnAnotherNodeMovesItsObjectsThere() {
    graph.setPod(pod("web", "n1", "\"serviceAccountName\": \"runner\", \"imagePullSecrets\": [{\"name\": \"pull\"}]"));
    graph.setPod(pod("web", "n2", "\"serviceAccountName\": \"runner\", \"imagePullSecrets\": [{\"name\": \"pull\"}]"));
    assertThat(secret("n1", "pull")).isFalse();
    assertThat(secret("n2", "pull")).isTrue();
    assertThat(graph.related("n2", Kind.SERVICEACCOUNT, "default", "runner")).isTrue();
    assertThat(graph.related("n1", Kind.SERVICEACCOUNT, "default", "runner")).isFalse();
  }

  @Test
  void anObjectStaysRelatedWhileAnyPodOfTheNodeNamesIt() {
    graph.setPod(pod("a", "n1", "\"imagePullSecrets\": [{\"name\": \"pull\"}]"));
    graph.setPod(pod("b", "n1", "\"imagePullSecrets\": [{\"name\": \"pull\"}]"));
    graph.deletePod("default", "a");
    assertThat(secret("n1", "pull")).isTrue();
    graph.setPod(pod("b", "n1", "\"imagePullSecrets\": [{\"name\": \"other\"}]"));
    assertThat(secret("n1", "pull")).as("b no longer names it").isFalse();
    assertThat(secret("n1", "other")).isTrue();
  }

  @Test
  void aClaimsVolumeAndTheVolumesSecretsFollowTheClaim() {
    graph.setPod(pod("db", "n1", """
        "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}, {"name": "scratch", "ephemeral": {}}]
        """));
    graph.setPersistentVolume(volume("pv-1", """
        "claimRef": {"namespace": "default", "name": "data"},
        "csi": {"driver": "d", "volumeHandle": "h", "nodeStageSecretRef": {"namespace": "storage", "name": "stage"}}
        """));
    graph.setPersistentVolume(volume("pv-2", "\"claimRef\": {\"namespace\": \"default\", \"name\": \"unused\"}"));
    assertThat(graph.related("n1", Kind.PERSISTENTVOLUMECLAIM, "default", "data")).isTrue();
    assertThat(graph.related("n1", Kind.PERSISTENTVOLUMECLAIM, "default", "db-scratch")).as("an ephemeral volume's claim").isTrue();
    assertThat(graph.related("n1", Kind.PERSISTENTVOLUME, "", "pv-1")).isTrue();
    assertThat(graph.related("n1", Kind.PERSISTENTVOLUME, "", "pv-2")).isFalse();
    assertThat(graph.related("n1", Kind.SECRET, "storage", "stage")).isTrue();
    assertThat(graph.related("n2", Kind.SECRET, "storage", "stage")).isFalse();

    graph.setPersistentVolume(volume("pv-1", "\"claimRef\": {\"namespace\": \"default\", \"name\": \"data\"}"));
    assertThat(graph.related("n1", Kind.SECRET, "storage", "stage")).as("the volume no longer names it").isFalse();
    graph.deletePersistentVolume("pv-1");
    assertThat(graph.related("n1", Kind.PERSISTENTVOLUME, "", "pv-1")).isFalse();
  }
}
