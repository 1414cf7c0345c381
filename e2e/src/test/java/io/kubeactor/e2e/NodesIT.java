package io.kubeactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeactor.controlplane.e2e.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Note 004 on a real cluster: a control plane and three node agents in processes of their own,
 * running pods as Docker containers, driven by the real kubectl with the demo's manifests.
 */
class NodesIT {
  static final Path DEMO = Path.of("..", "k8s-demo", "004-pods-replicasets").toAbsolutePath().normalize();
  static final List<String> NODES = List.of("it-node", "it-node-m02", "it-node-m03");
  static Path dir;
  static TestCluster cluster;
  static final List<AgentProcess> agents = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("kubeactor-nodes");
    cluster = TestCluster.start(dir, Map.of());
    for (String name : NODES) agents.add(startAgent(name));
    for (AgentProcess a : agents) awaitReady(a);
  }

  static AgentProcess startAgent(String name, String... extra) throws Exception {
    List<String> flags = new ArrayList<>(List.of("--cpu", "2", "--memory", "2Gi"));
    flags.addAll(List.of(extra));
    return AgentProcess.start(name, cluster.controlPlane(), dir.resolve("nodes"), flags.toArray(String[]::new));
  }

  static void awaitReady(AgentProcess a) {
    a.awaitAlive(Duration.ofSeconds(90), () -> kubectl("get", "node", a.name, "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").out().equals("True"));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AgentProcess a : agents) a.close();
    if (cluster != null) {
      // the pods' containers go with the cluster (only this test's nodes: a user's cluster may share the engine)
      for (String node : List.of("it-node", "it-node-m02", "it-node-m03", "it-node-m04")) AgentProcess.removeContainers(node);
      cluster.close();
    }
  }

  static TestCluster.Result kubectl(String... args) {
    return cluster.kubectl(args);
  }

  static String get(String pod, String jsonpath) {
    return kubectl("get", "pod", pod, "-o", "jsonpath=" + jsonpath).out();
  }

  static void awaitPod(String pod, Duration atMost, java.util.function.Predicate<String> describeCondition, String jsonpath) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(describeCondition.test(get(pod, jsonpath))).as("pod %s: %s = %s", pod, jsonpath, get(pod, jsonpath)).isTrue());
  }

  static void awaitRunning(String pod) {
    awaitPod(pod, Duration.ofSeconds(90), "Running"::equals, "{.status.phase}");
  }

  static void delete(String pod) {
    kubectl("delete", "pod", pod, "--grace-period=1", "--wait=true", "--timeout=60s");
  }

  @Test
  void threeNodesAreReadyWithTheirCapacity() {
    String wide = kubectl("get", "nodes", "-o", "wide").outOrFail();
    for (String n : NODES) assertThat(wide).containsPattern(n + "\\s+Ready\\s+<none>\\s+\\S+\\s+v1\\.32\\.4\\s+\\d+\\.\\d+\\.\\d+\\.\\d+");
    assertThat(wide).contains("docker://");
    String describe = kubectl("describe", "node", "it-node").outOrFail();
    assertThat(describe).contains("MemoryPressure", "DiskPressure", "PIDPressure", "KubeletReady");
    assertThat(describe).containsPattern("cpu:\\s+2\\n");
    assertThat(describe).containsPattern("memory:\\s+2Gi");
    assertThat(describe).containsPattern("ephemeral-storage:\\s+\\d+Ki");
  }

  @Test
  void nodeSelectorWaitsForTheLabelledNode() {
    kubectl("create", "-f", DEMO.resolve("nginx-nodeselector-pod.yaml").toString()).outOrFail();
    try {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kubectl("describe", "pod", "nginx").out())
          .contains("FailedScheduling", "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector."));
      kubectl("label", "node", "it-node-m02", "server=webap").outOrFail();
      awaitRunning("nginx");
      assertThat(get("nginx", "{.spec.nodeName}")).isEqualTo("it-node-m02");
      assertThat(kubectl("get", "pod", "nginx", "-o", "wide").out()).containsPattern("nginx\\s+1/1\\s+Running\\s+0");
      // nginx answers on the pod's IP, from another pod
      String ip = get("nginx", "{.status.podIP}");
      kubectl("run", "fetch", "--image=busybox", "--restart=Never", "--", "wget", "-q", "-O", "-", "http://" + ip + "/").outOrFail();
      awaitPod("fetch", Duration.ofSeconds(60), "Succeeded"::equals, "{.status.phase}");
      assertThat(kubectl("logs", "fetch").outOrFail()).contains("Welcome to nginx!");
    } finally {
      delete("fetch");
      delete("nginx");
      kubectl("label", "node", "it-node-m02", "server-");
    }
  }

  @Test
  void requestsAreAccountedOnTheNode() {
    kubectl("create", "-f", DEMO.resolve("requests-pod.yaml").toString()).outOrFail();
    try {
      awaitRunning("requests-pod");
      String node = get("requests-pod", "{.spec.nodeName}");
      String describe = kubectl("describe", "node", node).outOrFail();
      assertThat(describe).containsPattern("default\\s+requests-pod\\s+50m \\(2%\\)\\s+0 \\(0%\\)\\s+300Mi \\(14%\\)\\s+0 \\(0%\\)");
      assertThat(describe).containsPattern("cpu\\s+50m \\(2%\\)\\s+0 \\(0%\\)");
      assertThat(describe).containsPattern("memory\\s+300Mi \\(14%\\)\\s+0 \\(0%\\)");
      assertThat(kubectl("describe", "pod", "requests-pod").out())
          .contains("Successfully assigned default/requests-pod to " + node, "Started container main");
      // usage, as kubectl top shows it (dd keeps a CPU busy)
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(kubectl("top", "pod", "requests-pod").out()).containsPattern("requests-pod\\s+[1-9]\\d*m\\s+\\d+Mi"));
      assertThat(kubectl("top", "node").outOrFail()).contains("it-node-m02", "CPU(cores)");
      assertThat(kubectl("top", "pod", "requests-pod", "--containers").outOrFail()).containsPattern("requests-pod\\s+main\\s+\\d+m\\s+\\d+Mi");
      // from its second sample on, a pod's CPU is a rate over the agent's interval (15 s), as metrics-server's
      // between two scrapes, not Docker's one-second reading
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(Double.parseDouble(
          kubectl("get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/requests-pod").outOrFail()
              .replaceAll("(?s).*\"window\":\"([0-9.]+)s\".*", "$1"))).isBetween(10.0, 30.0));
    } finally {
      delete("requests-pod");
    }
  }

  @Test
  void aPodThatFitsNowhereWaitsForANewNode() throws Exception {
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: big}
        spec:
          containers:
          - name: main
            image: busybox
            command: ["sleep", "3600"]
            resources: {requests: {memory: 3Gi}}
        """;
    kubectl("apply", "-f", write("big.yaml", pod)).outOrFail();
    AgentProcess bigNode = null;
    try {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kubectl("describe", "pod", "big").out())
          .contains("0/3 nodes are available: 3 Insufficient memory."));
      assertThat(get("big", "{.status.phase}")).isEqualTo("Pending");
      // minikube node add: a node with room joins the running cluster, and the pod goes there
      bigNode = AgentProcess.start("it-node-m04", cluster.controlPlane(), dir.resolve("nodes"),
          "--cpu", "2", "--memory", "4Gi", "--labels", "size=big");
      awaitReady(bigNode);
      awaitRunning("big");
      assertThat(get("big", "{.spec.nodeName}")).isEqualTo("it-node-m04");
      assertThat(kubectl("get", "node", "it-node-m04", "--show-labels").out()).contains("size=big");
    } finally {
      delete("big");
      if (bigNode != null) bigNode.close();
      kubectl("delete", "node", "it-node-m04", "--ignore-not-found");
    }
  }

  @Test
  void overItsMemoryLimitAContainerIsOomKilledAndBacksOff() {
    kubectl("apply", "-f", DEMO.resolve("limits-pod.yaml").toString()).outOrFail();
    try {
      awaitPod("limits-pod", Duration.ofSeconds(120), s -> !s.isEmpty() && Integer.parseInt(s) >= 2,
          "{.status.containerStatuses[0].restartCount}");
      assertThat(get("limits-pod", "{.status.containerStatuses[0].lastState.terminated.reason}")).isEqualTo("OOMKilled");
      assertThat(get("limits-pod", "{.status.containerStatuses[0].lastState.terminated.exitCode}")).isEqualTo("137");
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(kubectl("get", "pod", "limits-pod").out()).containsPattern("limits-pod\\s+0/1\\s+CrashLoopBackOff\\s+[2-9]"));
      String describe = kubectl("describe", "pod", "limits-pod").outOrFail();
      assertThat(describe).contains("Reason:       OOMKilled", "Back-off restarting failed container main in pod limits-pod_default(");
    } finally {
      delete("limits-pod");
    }
  }

  @Test
  void aFailingLivenessProbeRestartsTheContainer() {
    kubectl("apply", "-f", DEMO.resolve("liveness-http-pod.yaml").toString()).outOrFail();
    try {
      awaitPod("liveness-http", Duration.ofSeconds(90), s -> !s.isEmpty() && Integer.parseInt(s) >= 1,
          "{.status.containerStatuses[0].restartCount}");
      String describe = kubectl("describe", "pod", "liveness-http").outOrFail();
      assertThat(describe).contains("Liveness probe failed: HTTP probe failed with statuscode: 500",
          "Container liveness failed liveness probe, will be restarted");
      assertThat(describe).contains("Liveness:       http-get http://:8080/healthz delay=10s timeout=1s period=5s #success=1 #failure=3");
    } finally {
      delete("liveness-http");
    }
  }

  @Test
  void logsAndExecReachTheContainer() {
    kubectl("run", "talker", "--image=busybox", "--", "sh", "-c", "for i in 1 2 3; do echo line $i; done; sleep 3600").outOrFail();
    try {
      awaitRunning("talker");
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(kubectl("logs", "talker").out()).isEqualTo("line 1\nline 2\nline 3\n"));
      assertThat(kubectl("logs", "talker", "--tail=1").outOrFail()).isEqualTo("line 3\n");
      assertThat(kubectl("exec", "talker", "--", "cat", "/etc/hostname").outOrFail().strip()).isEqualTo("talker");
      TestCluster.Result failing = kubectl("exec", "talker", "--", "sh", "-c", "echo oops >&2; exit 3");
      assertThat(failing.exitCode()).isEqualTo(3);
      assertThat(failing.err()).contains("oops", "command terminated with exit code 3");
      // a new image (note 004's apply of photoview-pod-v1.yaml) restarts the container on it
      kubectl("set", "image", "pod/talker", "talker=busybox:1.36").outOrFail();
      awaitPod("talker", Duration.ofSeconds(60), "busybox:1.36 1 true"::equals,
          "{.status.containerStatuses[0].image} {.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].ready}");
      assertThat(kubectl("describe", "pod", "talker").out()).contains("Container talker definition changed, will be restarted");
    } finally {
      delete("talker");
    }
  }

  @Test
  void anImageThatExistsNowhereFailsToPull() {
    kubectl("run", "bootcamp-v10", "--image=gcr.io/google-samples/kubernetes-bootcamp:v10").outOrFail();
    try {
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(kubectl("get", "pod", "bootcamp-v10").out()).containsPattern("0/1\\s+ImagePullBackOff"));
      assertThat(kubectl("describe", "pod", "bootcamp-v10").out()).contains(
          "Failed to pull image \"gcr.io/google-samples/kubernetes-bootcamp:v10\"", "Error: ErrImagePull",
          "Back-off pulling image \"gcr.io/google-samples/kubernetes-bootcamp:v10\"");
    } finally {
      delete("bootcamp-v10");
    }
  }

  @Test
  void aBadCommandFailsItsPodOnly() {
    kubectl("run", "badcmd", "--image=busybox", "--command", "--", "no-such-command").outOrFail();
    kubectl("run", "goodcmd", "--image=busybox", "--", "sleep", "3600").outOrFail();
    try {
      awaitPod("badcmd", Duration.ofSeconds(60), s -> s.equals("StartError"), "{.status.containerStatuses[0].lastState.terminated.reason}"
          + "{.status.containerStatuses[0].state.terminated.reason}");
      awaitRunning("goodcmd");
      assertThat(kubectl("describe", "pod", "badcmd").out()).contains("no-such-command");
    } finally {
      delete("badcmd");
      delete("goodcmd");
    }
  }

  @Test
  void aNewNodeWithoutAValidJoinTokenIsRefusedWithOneLine() throws Exception {
    var cp = cluster.controlPlane();
    var forged = new AgentProcess.Join(cp.clusterPort(), "https://127.0.0.1:" + cp.port(), cp.certificates().caFile(),
        "abcdef.0123456789abcdef");
    try (AgentProcess agent = AgentProcess.start("it-node-forged", forged, dir.resolve("nodes"))) {
      assertThat(agent.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(agent.reasons()).containsExactly("kubeactor agent: node it-node-forged: the API server refused this "
          + "node's credential (Unauthorized): a join token expires (24 h by default); make a new one with ./kubeactor token create");
    }
    var tokenless = new AgentProcess.Join(cp.clusterPort(), "https://127.0.0.1:" + cp.port(), cp.certificates().caFile(), null);
    try (AgentProcess agent = AgentProcess.start("it-node-tokenless", tokenless, dir.resolve("nodes"))) {
      assertThat(agent.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(agent.reasons()).containsExactly("kubeactor agent: node it-node-tokenless: no certificate of the cluster "
          + "CA yet, and no join token: run ./kubeactor token create on the control plane's host and give this agent its --token");
    }
    assertThat(kubectl("get", "nodes", "-o", "name").out()).doesNotContain("it-node-forged", "it-node-tokenless");
  }

  @Test
  void aRestartedAgentAdoptsItsRunningContainers() throws Exception {
    kubectl("apply", "-f", write("keeper.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: keeper}
        spec:
          nodeName: it-node-m03
          containers:
          - {name: main, image: busybox, command: ["sleep", "3600"]}
        """)).outOrFail();
    try {
      awaitRunning("keeper");
      String containerId = get("keeper", "{.status.containerStatuses[0].containerID}");
      AgentProcess m03 = agents.stream().filter(a -> a.name.equals("it-node-m03")).findFirst().orElseThrow();
      m03.kill9();
      agents.remove(m03);
      AgentProcess again = startAgent("it-node-m03");
      agents.add(again);
      awaitReady(again);
      // the same container, not started anew
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(get("keeper", "{.status.containerStatuses[0].containerID}")).isEqualTo(containerId);
        assertThat(get("keeper", "{.status.containerStatuses[0].restartCount}")).isEqualTo("0");
        assertThat(get("keeper", "{.status.phase}")).isEqualTo("Running");
      });
    } finally {
      delete("keeper");
    }
  }

  @Test
  void aPrivateRegistryPullsWithTheSecretOnly() throws Exception {
    String registry = System.getenv("KUBEACTOR_TEST_REGISTRY");
    if (registry == null) {
      // ./kubeactor test (and CI) start the registry; a bare mvn run says what is missing
      org.junit.jupiter.api.Assumptions.abort("no private registry: run docker/ensure-registry.sh and set KUBEACTOR_TEST_REGISTRY");
    }
    String user = System.getenv().getOrDefault("KUBEACTOR_REGISTRY_USER", "admin");
    String password = System.getenv().getOrDefault("KUBEACTOR_REGISTRY_PASSWORD", "admin");
    // the images must come from the registry, not from an earlier pull
    new ProcessBuilder("docker", "rmi", "-f", registry + "/photo-view:v2.0", registry + "/photo-view:v1.0").start().waitFor();
    kubectl("create", "secret", "docker-registry", "regcred", "--docker-server=" + registry,
        "--docker-username=" + user, "--docker-password=" + password).outOrFail();
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, labels: {app: photo-view}}
        spec:
          containers:
          - {name: photoview-container, image: %s/photo-view:%s, ports: [{containerPort: 80}]}
        %s""";
    kubectl("apply", "-f", write("with-secret.yaml", pod.formatted("photoview-pod", registry, "v2.0",
        "  imagePullSecrets: [{name: regcred}]\n"))).outOrFail();
    kubectl("apply", "-f", write("without-secret.yaml", pod.formatted("photoview-nosecret", registry, "v1.0", ""))).outOrFail();
    try {
      awaitRunning("photoview-pod");
      assertThat(kubectl("describe", "pod", "photoview-pod").out())
          .contains("Successfully pulled image \"" + registry + "/photo-view:v2.0\"");
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(kubectl("get", "pod", "photoview-nosecret").out()).containsPattern("0/1\\s+(ErrImagePull|ImagePullBackOff)"));
      assertThat(kubectl("describe", "pod", "photoview-nosecret").out())
          .contains("Failed to pull image \"" + registry + "/photo-view:v1.0\"", "no basic auth credentials");
    } finally {
      delete("photoview-pod");
      delete("photoview-nosecret");
      kubectl("delete", "secret", "regcred");
    }
  }

  @Test
  void volumesEnvironmentInitContainersAndReadiness() throws Exception {
    kubectl("create", "configmap", "app-config", "--from-literal=greeting=hello", "--from-literal=color=blue").outOrFail();
    kubectl("create", "secret", "generic", "app-secret", "--from-literal=password=s3cret").outOrFail();
    kubectl("apply", "-f", write("full.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: full, labels: {app: full}}
        spec:
          initContainers:
          - name: prepare
            image: busybox
            command: ["sh", "-c", "echo prepared-by-init > /shared/ready.txt"]
            volumeMounts: [{name: work, mountPath: /shared}]
          containers:
          - name: main
            image: busybox
            command: ["sh", "-c", "cat /shared/ready.txt /config/greeting; echo $GREETING $PASSWORD $POD_NAME $(MESSAGE); touch /tmp/ready; sleep 3600"]
            env:
            - {name: GREETING, valueFrom: {configMapKeyRef: {name: app-config, key: greeting}}}
            - {name: PASSWORD, valueFrom: {secretKeyRef: {name: app-secret, key: password}}}
            - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
            - {name: MESSAGE, value: "from-$(POD_NAME)"}
            volumeMounts:
            - {name: work, mountPath: /shared}
            - {name: config, mountPath: /config, readOnly: true}
            readinessProbe:
              exec: {command: ["cat", "/tmp/ready"]}
              periodSeconds: 1
          volumes:
          - {name: work, emptyDir: {}}
          - {name: config, configMap: {name: app-config}}
        """)).outOrFail();
    kubectl("apply", "-f", write("unmountable.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: unmountable}
        spec:
          containers:
          - {name: main, image: busybox, command: ["sleep", "3600"], volumeMounts: [{name: cfg, mountPath: /cfg}]}
          volumes:
          - {name: cfg, configMap: {name: no-such-config}}
        """)).outOrFail();
    try {
      awaitPod("full", Duration.ofSeconds(90), "true"::equals, "{.status.containerStatuses[0].ready}");
      assertThat(kubectl("get", "pod", "full").out()).containsPattern("full\\s+1/1\\s+Running\\s+0");
      assertThat(kubectl("logs", "full").outOrFail()).isEqualTo("prepared-by-init\nhellohello s3cret full from-full\n");
      assertThat(get("full", "{.status.initContainerStatuses[0].state.terminated.reason}")).isEqualTo("Completed");
      // a volume that cannot be set up keeps only its own pod waiting, with kubelet's words
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kubectl("describe", "pod", "unmountable").out())
          .contains("FailedMount", "MountVolume.SetUp failed for volume \"cfg\" : configmap \"no-such-config\" not found"));
      assertThat(kubectl("get", "pod", "unmountable").out()).containsPattern("unmountable\\s+0/1\\s+ContainerCreating");
    } finally {
      delete("full");
      delete("unmountable");
      kubectl("delete", "configmap", "app-config");
      kubectl("delete", "secret", "app-secret");
    }
  }

  static String write(String name, String content) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, content);
    return f.toString();
  }
}
