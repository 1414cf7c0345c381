package io.kubeactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Notes 000 to 003 on a real cluster: the workload controllers and the garbage collector, driven by
 * the real kubectl with the demo's manifests, on three node agents running Docker containers.
 */
class ControllersIT {
  static final List<String> NODES = List.of("ctl-node", "ctl-node-m02", "ctl-node-m03");
  static final Duration MINUTES = Duration.ofMinutes(3);
  static ClusterWithNodes c;

  @BeforeAll
  static void start() throws Exception {
    c = ClusterWithNodes.start("controllers", Map.of(), NODES);
  }

  @AfterAll
  static void stop() throws Exception {
    if (c != null) c.close();
  }

  static String ownerOf(String pod) {
    return c.jsonpath("pod/" + pod, "{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}"
        + " controller={.metadata.ownerReferences[0].controller} block={.metadata.ownerReferences[0].blockOwnerDeletion}");
  }

  static String name(String podLine) {
    return podLine.split(" ")[0];
  }

  @Test
  void replicaSetReplacesADeletedPodAndAdoptsAMatchingBarePod() {
    // note 001: three whoami pods; one deleted comes back as a new one
    c.ok("apply", "-f", c.demo("001-controllers/whoami-rs.yaml"));
    c.awaitRunningPods("app=whoami-web", 3, MINUTES);
    String victim = name(c.pods("app=whoami-web").get(0));
    assertThat(ownerOf(victim)).isEqualTo("ReplicaSet/whoami-web controller=true block=true");
    c.ok("delete", "pod", victim, "--wait=false");
    await().atMost(MINUTES).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(c.runningPodNames("app=whoami-web")).hasSize(3).doesNotContain(victim));
    c.await("rs/whoami-web", "{.status.replicas}/{.status.readyReplicas}/{.status.availableReplicas}/{.status.fullyLabeledReplicas}",
        MINUTES, "3/3/3/3"::equals);
    assertThat(c.ok("get", "rs", "whoami-web")).containsPattern("whoami-web\\s+3\\s+3\\s+3\\s");
    c.ok("delete", "rs", "whoami-web");
    c.awaitNoPods("app=whoami-web", MINUTES);

    // note 004: a ReplicaSet of 5 beside one matching bare pod creates 4 and adopts the pod
    c.ok("apply", "-f", c.demo("004-pods-replicasets/nginx-pod.yaml"));
    c.awaitRunning("nginx-pod");
    c.ok("apply", "-f", c.demo("004-pods-replicasets/nginx-replicaset-5.yaml"));
    c.awaitRunningPods("app=photo-view", 5, MINUTES);
    assertThat(ownerOf("nginx-pod")).isEqualTo("ReplicaSet/nginx-replicaset controller=true block=true");
    String describe = c.ok("describe", "rs", "nginx-replicaset");
    assertThat(describe.split("Created pod: ", -1)).as(describe).hasSize(5);
    // note 004: kubectl scale --replicas=8, then back down
    assertThat(c.ok("scale", "--replicas=8", "rs/nginx-replicaset")).contains("replicaset.apps/nginx-replicaset scaled");
    c.awaitRunningPods("app=photo-view", 8, MINUTES);
    c.ok("scale", "--replicas=2", "rs/nginx-replicaset");
    c.awaitRunningPods("app=photo-view", 2, MINUTES);
    c.ok("delete", "rs", "nginx-replicaset");
    c.awaitNoPods("app=photo-view", MINUTES);
  }

  /** nginx-deployment's pods (the StatefulSet example's pods are app=nginx too). */
  static final String DEPLOYMENT_PODS = "app=nginx,pod-template-hash";

  @Test
  void deploymentScalesItsOneReplicaSetAndForegroundDeletionRemovesEverything() {
    // note 001: nginx-deployment with 2 pods, scaled to 4 through the same ReplicaSet
    c.ok("apply", "-f", c.demo("001-controllers/nginx-deployment.yaml"));
    c.awaitRunningPods(DEPLOYMENT_PODS, 2, MINUTES);
    c.ok("scale", "deployment", "nginx-deployment", "--replicas=4");
    c.awaitRunningPods(DEPLOYMENT_PODS, 4, MINUTES);
    c.await("deployment/nginx-deployment", "{.status.readyReplicas}/{.status.updatedReplicas}/{.status.availableReplicas}",
        MINUTES, "4/4/4"::equals);
    // the note's command; the deployment itself carries no labels
    String all = c.ok("get", "deployment,replicaset,pod");
    assertThat(all).containsPattern("deployment.apps/nginx-deployment\\s+4/4\\s+4\\s+4\\s");
    List<String> sets = List.of(c.ok("get", "rs", "-l", "app=nginx", "-o", "name").strip().split("\n"));
    assertThat(sets).hasSize(1);
    String rs = sets.get(0).substring("replicaset.apps/".length());
    assertThat(rs).matches("nginx-deployment-[bcdfghjklmnpqrstvwxz2456789]+");
    assertThat(all).containsPattern("replicaset.apps/" + rs + "\\s+4\\s+4\\s+4\\s");
    // note 001: the pod's ownerReferences name its ReplicaSet
    String pod = name(c.pods(DEPLOYMENT_PODS).get(0));
    assertThat(ownerOf(pod)).isEqualTo("ReplicaSet/" + rs + " controller=true block=true");
    assertThat(c.jsonpath("rs/" + rs, "{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}"))
        .isEqualTo("Deployment/nginx-deployment");
    c.ok("scale", "deployment", "nginx-deployment", "--replicas=2");
    c.awaitRunningPods(DEPLOYMENT_PODS, 2, MINUTES);
    assertThat(c.ok("describe", "deployment", "nginx-deployment")).contains("ScalingReplicaSet");

    // foreground deletion: the deployment stays until its ReplicaSet and pods are gone
    c.ok("delete", "deployment", "nginx-deployment", "--cascade=foreground", "--wait=false");
    c.awaitNoPods(DEPLOYMENT_PODS, MINUTES);
    ClusterWithNodes.awaitTrue(MINUTES, () -> c.kubectl("get", "deployment,rs", "-l", "app=nginx", "-o", "name").out().isBlank()
        && c.kubectl("get", "deployment", "nginx-deployment").exitCode() != 0);
  }

  @Test
  void bootcampRollsOutStaysOnABadImageAndIsUndone() {
    // note 003
    String dep = "deployments/kubernetes-bootcamp";
    c.ok("apply", "-f", c.demo("003-bootcamp-scaling/kubernetes-bootcamp-deployment.yaml"),
        "-f", c.demo("003-bootcamp-scaling/kubernetes-bootcamp-service.yaml"));
    c.ok("scale", dep, "--replicas=4");
    c.awaitRunningPods("app=kubernetes-bootcamp", 4, MINUTES);
    assertThat(c.ok("rollout", "status", dep, "--timeout=120s")).contains("deployment \"kubernetes-bootcamp\" successfully rolled out");
    String first = currentReplicaSet();

    c.ok("set", "image", dep, "kubernetes-bootcamp=jocatalin/kubernetes-bootcamp:v2");
    assertThat(c.ok("rollout", "status", dep, "--timeout=180s")).contains("successfully rolled out");
    String second = currentReplicaSet();
    assertThat(second).isNotEqualTo(first);
    c.awaitRunningPods("app=kubernetes-bootcamp", 4, MINUTES);
    assertThat(c.ok("get", "pods", "-l", "app=kubernetes-bootcamp", "-o", "jsonpath={.items[*].spec.containers[0].image}"))
        .doesNotContain(":v1");
    assertThat(c.ok("rollout", "history", dep)).containsPattern("\\n1\\s+<none>").containsPattern("\\n2\\s+<none>");

    // a tag that does not exist: new pods cannot pull, the old ones keep serving
    c.ok("patch", dep, "-p", "{\"spec\":{\"progressDeadlineSeconds\":20}}");
    c.ok("set", "image", dep, "kubernetes-bootcamp=gcr.io/google-samples/kubernetes-bootcamp:v10");
    await().atMost(MINUTES).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
        assertThat(c.ok("get", "pods", "-l", "app=kubernetes-bootcamp")).containsPattern("(ErrImagePull|ImagePullBackOff)"));
    TestClusterResult status = new TestClusterResult(c.kubectl("rollout", "status", dep, "--timeout=120s"));
    assertThat(status.exitCode).isNotZero();
    assertThat(status.err).contains("deployment \"kubernetes-bootcamp\" exceeded its progress deadline");
    assertThat(c.jsonpath(dep, "{.status.availableReplicas}")).isIn("3", "4");
    assertThat(c.ok("describe", dep)).containsPattern("Progressing\\s+False\\s+ProgressDeadlineExceeded");

    c.ok("rollout", "undo", dep);
    assertThat(c.ok("rollout", "status", dep, "--timeout=180s")).contains("successfully rolled out");
    assertThat(currentReplicaSet()).isEqualTo(second);
    c.awaitRunningPods("app=kubernetes-bootcamp", 4, MINUTES);
    assertThat(c.ok("get", "pods", "-l", "app=kubernetes-bootcamp", "-o", "jsonpath={.items[*].spec.containers[0].image}"))
        .contains("jocatalin/kubernetes-bootcamp:v2").doesNotContain(":v10");

    // note 000: applying the first template again brings its ReplicaSet back instead of a new one
    c.ok("apply", "-f", c.demo("003-bootcamp-scaling/kubernetes-bootcamp-deployment.yaml"));
    assertThat(c.ok("rollout", "status", dep, "--timeout=180s")).contains("successfully rolled out");
    assertThat(currentReplicaSet()).isEqualTo(first);
    assertThat(c.ok("get", "rs", "-l", "app=kubernetes-bootcamp", "-o", "name").strip().split("\n")).hasSize(3);
    c.ok("delete", "-f", c.demo("003-bootcamp-scaling/kubernetes-bootcamp-deployment.yaml"),
        "-f", c.demo("003-bootcamp-scaling/kubernetes-bootcamp-service.yaml"));
    c.awaitNoPods("app=kubernetes-bootcamp", MINUTES);
  }

  /** kubectl's result, with its error output. */
  record TestClusterResult(int exitCode, String out, String err) {
    TestClusterResult(io.kubeactor.controlplane.e2e.TestCluster.Result r) {
      this(r.exitCode(), r.out(), r.err());
    }
  }

  /** The bootcamp ReplicaSet that has replicas. */
  static String currentReplicaSet() {
    String out = c.ok("get", "rs", "-l", "app=kubernetes-bootcamp", "-o",
        "jsonpath={range .items[?(@.spec.replicas>0)]}{.metadata.name}{\"\\n\"}{end}").strip();
    assertThat(out.split("\n")).as("ReplicaSets with replicas: %s", out).hasSize(1);
    return out;
  }

  @Test
  void daemonSetsFollowNodesAndTheirLabels() throws Exception {
    // note 001: one nginx-proxy pod on every node
    c.ok("apply", "-f", c.demo("001-controllers/nginx-proxy-ds.yaml"));
    c.awaitRunningPods("app=nginx-proxy", 3, MINUTES);
    assertThat(c.pods("app=nginx-proxy").stream().map(p -> p.split(" ")[2]).distinct()).hasSize(3);
    c.await("ds/nginx-proxy", "{.status.desiredNumberScheduled}/{.status.numberReady}/{.status.numberAvailable}", MINUTES, "3/3/3"::equals);
    assertThat(c.ok("get", "ds", "nginx-proxy")).containsPattern("nginx-proxy\\s+3\\s+3\\s+3\\s+3\\s+3\\s+<none>");
    c.ok("delete", "ds", "nginx-proxy");
    c.awaitNoPods("app=nginx-proxy", MINUTES);

    // note 000: pi-proxy everywhere, then only on nodes labelled kiamol=ch06
    c.ok("apply", "-f", c.demo("000-scaling/pi-proxy-configmap.yaml"), "-f", c.demo("000-scaling/pi-proxy-ds.yaml"));
    c.awaitRunningPods("app=pi-proxy", 3, MINUTES);
    c.ok("apply", "-f", c.demo("000-scaling/pi-proxy-ds-nodeselector.yaml"));
    c.awaitNoPods("app=pi-proxy", MINUTES);
    c.ok("label", "node", "ctl-node-m02", "kiamol=ch06", "--overwrite");
    c.awaitRunningPods("app=pi-proxy", 1, MINUTES);
    assertThat(c.pods("app=pi-proxy").get(0).split(" ")[2]).isEqualTo("ctl-node-m02");
    // a node that joins with the label gets its pod; when it leaves the pod goes
    AgentProcess m04 = c.startAgent("ctl-node-m04", "--labels", "kiamol=ch06");
    c.agents.add(m04);
    c.awaitReady(m04);
    c.awaitRunningPods("app=pi-proxy", 2, MINUTES);
    assertThat(c.ok("get", "ds", "pi-proxy")).containsPattern("pi-proxy\\s+2\\s+2\\s+2\\s+2\\s+2\\s+kiamol=ch06");
    m04.close();
    c.agents.remove(m04);
    c.ok("delete", "node", "ctl-node-m04");
    c.awaitRunningPods("app=pi-proxy", 1, MINUTES);
    c.ok("label", "node", "ctl-node-m02", "kiamol-");
    c.awaitNoPods("app=pi-proxy", MINUTES);
    c.ok("delete", "ds", "pi-proxy");
    c.ok("delete", "configmap", "pi-proxy-configmap");
  }

  /** The StatefulSet's pods (its app=nginx label is note 001's deployment's too). */
  static final String WEB = "app=nginx,statefulset.kubernetes.io/pod-name";

  @Test
  void statefulSetPodsKeepTheirNamesOrderAndVolumes() {
    c.ok("apply", "-f", c.demo("002-statefulset/web-statefulset.yaml"));
    c.awaitRunningPods(WEB, 2, MINUTES);
    // web-1 was created only once web-0 was Ready
    Instant web0Ready = Instant.parse(c.jsonpath("pod/web-0", "{.status.conditions[?(@.type==\"Ready\")].lastTransitionTime}"));
    Instant web1Created = Instant.parse(c.jsonpath("pod/web-1", "{.metadata.creationTimestamp}"));
    assertThat(web1Created).isAfterOrEqualTo(web0Ready);
    for (String pvc : List.of("www-web-0", "www-web-1")) {
      c.await("pvc/" + pvc, "{.status.phase}", MINUTES, "Bound"::equals);
    }
    String node0 = c.jsonpath("pod/web-0", "{.spec.nodeName}");
    String pv0 = c.jsonpath("pvc/www-web-0", "{.spec.volumeName}");
    assertThat(c.jsonpath("pv/" + pv0, "{.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}"))
        .isEqualTo(node0);

    // a pod's data outlives it: the new web-0 is on the same node with the same claim
    c.ok("exec", "web-0", "--", "sh", "-c", "echo \"$(hostname) was here\" > /usr/share/nginx/html/index.html");
    String uid = c.jsonpath("pod/web-0", "{.metadata.uid}");
    c.ok("delete", "pod", "web-0");
    await().atMost(MINUTES).pollInterval(Duration.ofMillis(500)).until(() ->
        !c.jsonpath("pod/web-0", "{.metadata.uid}").equals(uid) && "Running".equals(c.jsonpath("pod/web-0", "{.status.phase}")));
    assertThat(c.jsonpath("pod/web-0", "{.spec.nodeName}")).isEqualTo(node0);
    assertThat(c.ok("exec", "web-0", "--", "cat", "/usr/share/nginx/html/index.html")).isEqualTo("web-0 was here\n");

    // scaled down from the top; claims are kept
    c.ok("scale", "sts", "web", "--replicas=1");
    c.awaitRunningPods(WEB, 1, MINUTES);
    assertThat(name(c.pods(WEB).get(0))).isEqualTo("web-0");
    assertThat(c.ok("get", "pvc", "-o", "name")).contains("persistentvolumeclaim/www-web-0", "persistentvolumeclaim/www-web-1");
    c.ok("delete", "-f", c.demo("002-statefulset/web-statefulset.yaml"));
    c.awaitNoPods(WEB, MINUTES);
    assertThat(c.ok("get", "pvc", "-o", "name")).contains("persistentvolumeclaim/www-web-0", "persistentvolumeclaim/www-web-1");
    c.ok("delete", "pvc", "www-web-0", "www-web-1");
  }

  @Test
  void orphanDeletionLeavesTheDependentsWithoutOwners() {
    c.ok("create", "deployment", "gc-demo", "--image=nginx:1.16.1", "--replicas=2");
    c.awaitRunningPods("app=gc-demo", 2, MINUTES);
    String rs = c.ok("get", "rs", "-l", "app=gc-demo", "-o", "jsonpath={.items[0].metadata.name}");
    c.ok("delete", "deployment", "gc-demo", "--cascade=orphan");
    ClusterWithNodes.awaitTrue(MINUTES, () -> c.jsonpath("rs/" + rs, "{.metadata.ownerReferences}").isEmpty());
    assertThat(c.kubectl("get", "deployment", "gc-demo").exitCode()).isNotZero();
    c.awaitRunningPods("app=gc-demo", 2, MINUTES);
    // background (kubectl's default): the ReplicaSet goes at once, then its pods
    c.ok("delete", "rs", rs);
    c.awaitNoPods("app=gc-demo", MINUTES);
  }
}
