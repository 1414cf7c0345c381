package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Server-side apply with the real kubectl: fields an apply leaves out are removed, changing a field
 * another manager owns is a conflict worded as kube-apiserver words it, {@code --force-conflicts}
 * takes it, managedFields are shown as upstream shows them, and a custom resource's list-type map
 * merges by its keys.
 */
class ServerSideApplyIT {
  private static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  private static TestCluster.Result applyServerSide(String manifest, String... flags) {
    String[] args = new String[flags.length + 4];
    args[0] = "apply";
    args[1] = "--server-side";
    System.arraycopy(flags, 0, args, 2, flags.length);
    args[flags.length + 2] = "-f";
    args[flags.length + 3] = "-";
    return cluster.kubectlWithInput(manifest, args);
  }

  private static String configMap(String data) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: default\ndata:\n" + data.indent(2);
  }

  private static String deployment(int replicas, String image) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: default
        spec:
          replicas: %d
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: web
                image: %s
        """.formatted(replicas, image);
  }

  @Test
  void aFieldLeftOutOfTheNextApplyIsRemoved() {
    assertThat(applyServerSide(configMap("a: \"1\"\nb: \"2\"")).outOrFail()).contains("configmap/settings serverside-applied");
    assertThat(applyServerSide(configMap("a: \"1\"")).outOrFail()).contains("configmap/settings serverside-applied");
    assertThat(cluster.kubectl("get", "configmap", "settings", "-o", "jsonpath={.data}").outOrFail()).isEqualTo("{\"a\":\"1\"}");
  }

  @Test
  void changingReplicasThatScaleSetIsAConflictUntilForced() {
    applyServerSide(deployment(1, "nginx:1.0")).outOrFail();
    cluster.kubectl("scale", "deployment", "web", "--replicas=3").outOrFail();

    TestCluster.Result conflict = applyServerSide(deployment(2, "nginx:1.0"));
    assertThat(conflict.exitCode()).isNotZero();
    assertThat(conflict.err()).contains("error: Apply failed with 1 conflict: conflict with \"kubectl\" with subresource"
        + " \"scale\" using apps/v1: .spec.replicas\nPlease review the fields above--they currently have other managers.");
    assertThat(cluster.kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}").outOrFail()).isEqualTo("3");

    applyServerSide(deployment(2, "nginx:1.0"), "--force-conflicts").outOrFail();
    assertThat(cluster.kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}").outOrFail()).isEqualTo("2");
    String yaml = cluster.kubectl("get", "deployment", "web", "-o", "yaml", "--show-managed-fields").outOrFail();
    assertThat(yaml).contains("""
          - apiVersion: apps/v1
            fieldsType: FieldsV1
            fieldsV1:
              f:spec:
                f:replicas: {}
                f:selector: {}
                f:template:
                  f:metadata:
                    f:labels:
                      f:app: {}
                  f:spec:
                    f:containers:
                      k:{"name":"web"}:
                        .: {}
                        f:image: {}
                        f:name: {}
            manager: kubectl
            operation: Apply
        """);
    // the scale's entry lost the field it no longer owns, and with it its last field
    assertThat(yaml).doesNotContain("subresource: scale");
    assertThat(cluster.kubectl("get", "deployment", "web", "-o", "yaml").outOrFail()).doesNotContain("managedFields");
  }

  @Test
  void serverSideDiffShowsWhatTheApplyWouldChange() {
    String manifest = deployment(1, "nginx:1.0").replace("name: web\n  namespace", "name: diffed\n  namespace")
        .replace("app: web", "app: diffed");
    applyServerSide(manifest).outOrFail();
    TestCluster.Result diff = cluster.kubectlWithInput(manifest.replace("nginx:1.0", "nginx:2.0"),
        "diff", "--server-side", "-f", "-");
    assertThat(diff.exitCode()).isEqualTo(1);
    assertThat(diff.out()).contains("-      - image: nginx:1.0", "+      - image: nginx:2.0");
    assertThat(cluster.kubectl("get", "deployment", "diffed", "-o", "jsonpath={.spec.template.spec.containers[0].image}")
        .outOrFail()).isEqualTo("nginx:1.0");
  }

  private static final String GATEWAY_CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: gateways.ssa.example.com
      spec:
        group: ssa.example.com
        scope: Namespaced
        names: {plural: gateways, singular: gateway, kind: Gateway}
        versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  properties:
                    listeners:
                      type: array
                      x-kubernetes-list-type: map
                      x-kubernetes-list-map-keys: [name]
                      items:
                        type: object
                        required: [name]
                        properties:
                          name: {type: string}
                          port: {type: integer}
      """;

  private static String gateway(String listener, int port) {
    return """
        apiVersion: ssa.example.com/v1
        kind: Gateway
        metadata:
          name: edge
          namespace: default
        spec:
          listeners:
          - name: %s
            port: %d
        """.formatted(listener, port);
  }

  @Test
  void aCustomResourcesListTypeMapMergesByKey() {
    cluster.kubectlWithInput(GATEWAY_CRD, "apply", "-f", "-").outOrFail();
    cluster.kubectl("wait", "--for=condition=Established", "crd/gateways.ssa.example.com", "--timeout=30s").outOrFail();

    applyServerSide(gateway("http", 80)).outOrFail();
    applyServerSide(gateway("https", 443), "--field-manager=tls").outOrFail();
    assertThat(cluster.kubectl("get", "gateway", "edge", "-o", "jsonpath={range .spec.listeners[*]}{.name}:{.port} {end}")
        .outOrFail()).isEqualTo("http:80 https:443 ");

    String yaml = cluster.kubectl("get", "gateway", "edge", "-o", "yaml", "--show-managed-fields").outOrFail();
    assertThat(yaml).contains("k:{\"name\":\"https\"}:", "manager: tls", "k:{\"name\":\"http\"}:", "manager: kubectl");

    // the first manager drops its listener: it goes, the other manager's stays
    applyServerSide(gateway("http", 80).replaceAll("(?s)listeners:.*", "listeners: []\n")).outOrFail();
    assertThat(cluster.kubectl("get", "gateway", "edge", "-o", "jsonpath={range .spec.listeners[*]}{.name}:{.port} {end}")
        .outOrFail()).isEqualTo("https:443 ");
  }
}
