package io.kubeactor.controlplane.e2e.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeactor.common.Json;
import io.kubeactor.common.cluster.AgentEndpoint;
import io.kubeactor.controlplane.e2e.ScriptClient;
import io.kubeactor.controlplane.e2e.StandInAgent;
import io.kubeactor.controlplane.e2e.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The scenario that every client of the matrix drives against a control plane of its own, with the
 * same expectations: a subclass does each step with its client's own API and hands back what the
 * client saw; this class checks it. The objects, in namespaces the steps create:
 * <ul>
 *   <li>ConfigMap {@code settings}: label app=matrix, data color=blue; ConfigMap {@code other}: label
 *       app=other, data color=red;
 *   <li>Deployment {@code web}: label app=matrix, 2 replicas, selector app=web, one container
 *       {@code web} of nginx:1.14.2 with container port 80.
 * </ul>
 * A pod's log and exec reach {@link StandInAgent}, the agent of node {@value #NODE}, through a
 * second API server of the control plane ({@link #server}, {@link #kubeconfig}): the clients talk to
 * that one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ClientScenario {

  static final String NODE = "node-1";

  TestCluster cluster;
  /** The cluster's admin on its own API server, for what a step needs that is not the client's part. */
  KubernetesClient admin;
  private ServerBinding agent;
  private ServerBinding api;
  /** The API server the clients talk to, and a kubeconfig for it (the admin, in namespace default). */
  String server;
  Path kubeconfig;

  @BeforeAll
  void startCluster() throws Exception {
    Path dir = Files.createTempDirectory("kubeactor-clients");
    cluster = TestCluster.start(dir, Map.of());
    admin = cluster.fabric8();
    agent = StandInAgent.start(cluster.controlPlane(), NODE);
    api = cluster.apiServerWithAgent(NODE, agentEndpoint(), false, 0);
    int port = api.localAddress().getPort();
    server = "https://127.0.0.1:" + port;
    kubeconfig = dir.resolve("client-kubeconfig");
    Files.writeString(kubeconfig, TestCluster.kubeconfig(cluster.controlPlane(), port, "default"));
    startClient();
  }

  /** Sets the client up (once the cluster runs); a client that cannot be started fails the class. */
  void startClient() throws Exception {}

  void stopClient() throws Exception {}

  @AfterAll
  void stopCluster() throws Exception {
    stopClient();
    if (admin != null) admin.close();
    if (cluster != null) cluster.close();
  }

  private AgentEndpoint agentEndpoint() {
    return new AgentEndpoint("127.0.0.1", agent.localAddress().getPort());
  }

  // create, get, list with selectors

  /** What the client got back: the two objects read by name, and the names that two lists selected. */
  public record Created(JsonNode configMap, JsonNode deployment, List<String> labelSelected, List<String> fieldSelected) {}

  /**
   * Creates {@code namespace}, then in it ConfigMaps {@code settings} and {@code other} and Deployment
   * {@code web}; gets {@code settings} and {@code web}; lists ConfigMaps with label selector app=matrix,
   * and with field selector metadata.name=other.
   */
  abstract Created createGetAndList(String namespace) throws Exception;

  @Test
  void createsGetsAndListsWithSelectors() throws Exception {
    Created created = createGetAndList("create");
    JsonNode cm = created.configMap();
    assertThat(cm.at("/metadata/name").asText()).isEqualTo("settings");
    assertThat(cm.at("/metadata/namespace").asText()).isEqualTo("create");
    assertThat(cm.at("/metadata/uid").asText()).isNotBlank();
    assertThat(cm.at("/metadata/resourceVersion").asText()).isNotBlank();
    assertThat(cm.at("/metadata/labels")).isEqualTo(json("{\"app\":\"matrix\"}"));
    assertThat(cm.at("/data")).isEqualTo(json("{\"color\":\"blue\"}"));
    JsonNode web = created.deployment();
    assertThat(web.at("/metadata/name").asText()).isEqualTo("web");
    assertThat(web.at("/metadata/labels")).isEqualTo(json("{\"app\":\"matrix\"}"));
    assertThat(web.at("/metadata/generation").asLong()).isEqualTo(1);
    assertThat(web.at("/spec/replicas").asInt()).isEqualTo(2);
    // the selector's labels only: the Java client sends matchExpressions: [], which kubeactor keeps
    // where kube-apiserver drops it (Go's omitempty)
    assertThat(web.at("/spec/selector/matchLabels")).isEqualTo(json("{\"app\":\"web\"}"));
    // the server's defaults
    assertThat(web.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
    assertThat(web.at("/spec/template/spec/containers/0/imagePullPolicy").asText()).isEqualTo("IfNotPresent");
    assertThat(web.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1.14.2");
    // every namespace also has ConfigMap kube-root-ca.crt, which neither selector takes
    assertThat(created.labelSelected()).containsExactly("settings");
    assertThat(created.fieldSelected()).containsExactly("other");
  }

  // watch

  /**
   * Creates {@code namespace}; lists ConfigMaps with label app=matrix (none) for its resourceVersion;
   * creates ConfigMap {@code watched} (label app=matrix, color=blue), then changes its color to
   * green; then watches ConfigMaps with label app=matrix from the list's resourceVersion until two
   * events came. Answers each event as "TYPE name color".
   */
  abstract List<String> watchFromAListsResourceVersion(String namespace) throws Exception;

  @Test
  void watchFromAListsResourceVersionSeesTheAddAndTheChange() throws Exception {
    assertThat(watchFromAListsResourceVersion("watch")).containsExactly("ADDED watched blue", "MODIFIED watched green");
  }

  // informer

  /** What an informer's handlers saw ("TYPE name color"), and its cache's names after the last. */
  public record Informed(List<String> synced, List<String> events, List<String> cached) {}

  /**
   * For a client with an informer of its own (or a watch that resumes): the change that it must see
   * after its connection is cut. Restarts the API server that the clients talk to; while it is down,
   * ConfigMap {@code first} turns green and ConfigMap {@code second} (label app=matrix, color=blue) is
   * created.
   */
  void cutTheConnectionAndChange(String namespace) throws Exception {
    int port = api.localAddress().getPort();
    // watches are streams that do not end: a short deadline ends them
    api.terminate(Duration.ofMillis(200)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    admin.configMaps().inNamespace(namespace).withName("first").edit(c -> {
      c.getData().put("color", "green");
      return c;
    });
    admin.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("second")
        .addToLabels("app", "matrix").endMetadata().addToData("color", "blue").build()).create();
    // the port was just the old server's; the system may take a moment to let it go
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
      api = cluster.apiServerWithAgent(NODE, agentEndpoint(), false, port);
      return true;
    });
  }

  /**
   * Informer steps, for the clients that have one. Creates {@code namespace} and ConfigMap
   * {@code first} (label app=matrix, color=blue); starts an informer on ConfigMaps with label
   * app=matrix and waits until it has synced; notes its cache's names; runs {@code cut} (the client's
   * connection is cut and changes are made while it is away); waits until the informer has seen them
   * (first MODIFIED, second ADDED); deletes {@code first} and waits until the informer has seen it go.
   */
  public interface InformerSteps {
    Informed inform(String namespace, Cut cut) throws Exception;

    @Test
    default void informerResumesAfterItsConnectionIsCutAndSeesTheChanges() throws Exception {
      ClientScenario scenario = (ClientScenario) this;
      Informed informed = inform("inform", () -> scenario.cutTheConnectionAndChange("inform"));
      assertThat(informed.synced()).containsExactly("first");
      List<String> events = informed.events();
      assertThat(events).hasSize(4);
      assertThat(events.get(0)).isEqualTo("ADDED first blue");
      // an informer that resumes its watch sees the changes in their order; one that lists again, in
      // the list's (by name): the same here
      assertThat(events.subList(1, 3)).containsExactlyInAnyOrder("MODIFIED first green", "ADDED second blue");
      assertThat(events.get(3)).isEqualTo("DELETED first green");
      assertThat(informed.cached()).containsExactly("second");
    }
  }

  /**
   * The informer steps for a client's script, run with the kubeconfig and {@code namespace}: it prints
   * a line SYNCED once its informer has synced, then waits for the cut's changes, and answers an
   * {@link Informed}.
   */
  static Informed informByScript(ScriptClient client, String script, String namespace, Cut cut) throws Exception {
    ScriptClient.Running running = client.start(script, namespace);
    running.awaitOutput("SYNCED");
    cut.run();
    return answer(running.finish(), Informed.class);
  }

  /** The connection's cut, and the changes made meanwhile. */
  @FunctionalInterface
  public interface Cut {
    void run() throws Exception;
  }

  // patches

  /** The objects as the client read them after the patches. */
  public record Patched(JsonNode deployment, JsonNode settings, JsonNode applied) {}

  /**
   * Creates {@code namespace}, Deployment {@code web} and ConfigMap {@code settings}; then patches:
   * <ul>
   *   <li>{@code web} with a JSON patch: replace /spec/revisionHistoryLimit with 3, add label
   *       json=patched;
   *   <li>{@code web} with a merge patch: spec.minReadySeconds 5, label merge=patched;
   *   <li>{@code web} with a strategic merge patch: containers [{name: web, image: nginx:1.16.1}];
   *   <li>{@code settings} with an apply patch (application/apply-patch+yaml) as field manager
   *       {@code matrix}: data size=large;
   *   <li>ConfigMap {@code applied}, which does not exist, with an apply patch as field manager
   *       {@code matrix}: label app=matrix, data source=apply;
   * </ul>
   * and gets the three.
   */
  abstract Patched patchEveryWay(String namespace) throws Exception;

  @Test
  void everyPatchTypeChangesWhatItShould() throws Exception {
    Patched patched = patchEveryWay("patch");
    JsonNode web = patched.deployment();
    assertThat(web.at("/metadata/labels")).isEqualTo(json("{\"app\":\"matrix\",\"json\":\"patched\",\"merge\":\"patched\"}"));
    assertThat(web.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(3);
    assertThat(web.at("/spec/minReadySeconds").asInt()).isEqualTo(5);
    // a strategic merge patch merges the containers by name: the port stays (a merge patch would drop it)
    JsonNode containers = web.at("/spec/template/spec/containers");
    assertThat(containers).hasSize(1);
    assertThat(containers.at("/0/name").asText()).isEqualTo("web");
    assertThat(containers.at("/0/image").asText()).isEqualTo("nginx:1.16.1");
    assertThat(containers.at("/0/ports/0/containerPort").asInt()).isEqualTo(80);
    assertThat(web.at("/spec/replicas").asInt()).isEqualTo(2);
    // apply keeps what another manager set (color, at create); kubeactor merges apply patches and
    // keeps no managedFields, so conflicts between managers are not checked here
    assertThat(patched.settings().at("/data")).isEqualTo(json("{\"color\":\"blue\",\"size\":\"large\"}"));
    assertThat(patched.settings().at("/metadata/labels")).isEqualTo(json("{\"app\":\"matrix\"}"));
    assertThat(patched.applied().at("/metadata/name").asText()).isEqualTo("applied");
    assertThat(patched.applied().at("/metadata/labels")).isEqualTo(json("{\"app\":\"matrix\"}"));
    assertThat(patched.applied().at("/data")).isEqualTo(json("{\"source\":\"apply\"}"));
  }

  // scale

  /** The Scale the client read from the subresource, and the Deployment after. */
  public record Scaled(JsonNode scale, JsonNode deployment) {}

  /**
   * Creates {@code namespace} and Deployment {@code web}; sets its replicas to 3 through the scale
   * subresource (deployments/scale); reads the Scale back, and gets the Deployment.
   */
  abstract Scaled scaleThroughTheSubresource(String namespace) throws Exception;

  @Test
  void scaleSubresourceSetsTheReplicas() throws Exception {
    Scaled scaled = scaleThroughTheSubresource("scale");
    assertThat(scaled.scale().at("/kind").asText()).isEqualTo("Scale");
    assertThat(scaled.scale().at("/apiVersion").asText()).isEqualTo("autoscaling/v1");
    assertThat(scaled.scale().at("/metadata/name").asText()).isEqualTo("web");
    assertThat(scaled.scale().at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(scaled.scale().at("/status/selector").asText()).isEqualTo("app=web");
    assertThat(scaled.deployment().at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(scaled.deployment().at("/metadata/generation").asLong()).isEqualTo(2);
  }

  // status

  /**
   * Creates {@code namespace} and pod {@code runner} (node {@value #NODE}, one container {@code main}
   * of busybox); writes its status through pods/status as the node's agent would: phase Running, pod
   * IP 10.0.0.7, condition Ready True; reads pods/status back.
   */
  abstract JsonNode writeAndReadStatus(String namespace) throws Exception;

  @Test
  void statusIsWrittenAndReadThroughItsSubresource() throws Exception {
    JsonNode pod = writeAndReadStatus("status");
    assertThat(pod.at("/metadata/name").asText()).isEqualTo("runner");
    assertThat(pod.at("/spec/nodeName").asText()).isEqualTo(NODE);
    assertThat(pod.at("/status/phase").asText()).isEqualTo("Running");
    assertThat(pod.at("/status/podIP").asText()).isEqualTo("10.0.0.7");
    List<String> conditions = new ArrayList<>();
    pod.at("/status/conditions").forEach(c -> conditions.add(c.path("type").asText() + "=" + c.path("status").asText()));
    assertThat(conditions).containsExactly("Ready=True");
  }

  // logs and exec

  /** A pod's log, and two commands' stdout, stderr and exit code. */
  public record Streamed(String log, String echoOut, int echoExit, String failOut, String failErr, int failExit) {}

  /**
   * In {@code namespace}, where pod {@code pod} (one container, main) runs on node {@value #NODE}:
   * reads its log; runs {@code echo hello} in it, then {@code fail} (which the agent answers with
   * stdout, stderr and exit code 3); without stdin or a terminal.
   */
  abstract Streamed logsAndExec(String namespace, String pod) throws Exception;

  /** Pod {@code runner} in a new {@code namespace}, running on node {@value #NODE} as its agent reported. */
  void runningPod(String namespace) {
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
    admin.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName("runner").endMetadata()
        .withNewSpec().withNodeName(NODE).addNewContainer().withName("main").withImage("busybox").endContainer()
        .endSpec().build()).create();
    admin.pods().inNamespace(namespace).withName("runner").subresource("status").edit(p -> {
      p.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP("10.0.0.7")
          .addNewCondition().withType("Ready").withStatus("True").endCondition().build());
      return p;
    });
  }

  @Test
  void logsAndExecReachTheRunningPod() throws Exception {
    runningPod("streams");
    Streamed streamed = logsAndExec("streams", "runner");
    // the stand-in agent's log names the query the API server sent it: no option was given
    assertThat(streamed.log()).isEqualTo("query=\nhello from main\n");
    assertThat(streamed.echoOut()).isEqualTo("ran [echo, hello]\n");
    assertThat(streamed.echoExit()).isZero();
    assertThat(streamed.failOut()).isEqualTo("about to fail\n");
    assertThat(streamed.failErr()).isEqualTo("oops\n");
    assertThat(streamed.failExit()).isEqualTo(3);
  }

  /** What a client's script answered: its last line of output, a JSON object of {@code type}'s fields. */
  static <T> T answer(ScriptClient.Result result, Class<T> type) throws Exception {
    List<String> lines = result.outOrFail().lines().toList();
    assertThat(lines).as("the script's output; stderr: " + result.err()).isNotEmpty();
    return Json.MAPPER.readValue(lines.get(lines.size() - 1), type);
  }

  static JsonNode json(String text) {
    return Json.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
