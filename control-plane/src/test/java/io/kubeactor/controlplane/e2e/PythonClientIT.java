package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Python client (Debian's python3-kubernetes), unchanged, against the control plane.
 * Its watches send {@code watch=True}, which kube-apiserver's query conversion reads as true.
 */
class PythonClientIT {

  static TestCluster cluster;
  static ScriptClient python;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start();
    python = PythonClient.forCluster(cluster);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  /**
   * Lists to learn a resourceVersion, creates a ConfigMap, then watches from that resourceVersion
   * with watch.Watch().stream(): the stream must carry the ConfigMap's ADDED event (a server that
   * answered the watch with a list would make the client fail to read an event).
   */
  @Test
  void watchStreamSeesAnObjectCreatedAfterItsResourceVersion() {
    ScriptClient.Result result = python.run("""
        import sys
        from kubernetes import client, config, watch
        config.load_kube_config(config_file=sys.argv[1])
        v1 = client.CoreV1Api()
        v1.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="pywatch")))
        rv = v1.list_namespaced_config_map("pywatch").metadata.resource_version
        v1.create_namespaced_config_map("pywatch", client.V1ConfigMap(
            metadata=client.V1ObjectMeta(name="seen"), data={"k": "v"}))
        w = watch.Watch()
        for event in w.stream(v1.list_namespaced_config_map, namespace="pywatch", resource_version=rv, timeout_seconds=30):
            print(event["type"], event["object"].metadata.name, event["object"].data, flush=True)
            if event["object"].metadata.name == "seen":
                w.stop()
        """);
    assertThat(result.out())
        .as("the watch stream's events (none: the server did not read watch=True as a watch); stderr: " + result.err())
        .contains("ADDED seen {'k': 'v'}");
    assertThat(result.exitCode()).as(result.err()).isZero();
  }

  @Test
  void listsNamespacesAndServices() {
    String out = python.run("""
        import sys
        from kubernetes import client, config
        config.load_kube_config(config_file=sys.argv[1])
        v1 = client.CoreV1Api()
        print(sorted(n.metadata.name for n in v1.list_namespace().items))
        print(len(v1.list_service_for_all_namespaces().items) > 0)
        """).outOrFail();
    assertThat(out).contains("'default'", "'kube-system'").contains("True");
  }
}
