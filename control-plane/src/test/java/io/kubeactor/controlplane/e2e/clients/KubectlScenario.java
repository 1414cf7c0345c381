package io.kubeactor.controlplane.e2e.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.e2e.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The scenario driven by one release of the real kubectl (the binary {@code kubectl.<version>} beside
 * the real kubectl). kubectl has no informer: its watch is {@code get --watch}, which lists and then
 * watches from the list's resourceVersion.
 */
abstract class KubectlScenario extends ClientScenario {

  private final String version;
  private String binary;
  private Path dir;

  KubectlScenario(String version) {
    this.version = version;
  }

  @Override
  void startClient() throws Exception {
    binary = TestCluster.kubectlBinary(version).toString();
    dir = Files.createTempDirectory("kubeactor-kubectl-" + version);
    assertThat(kubectl("version", "--client", "-o", "json").outOrFail())
        .contains("\"gitVersion\": \"v" + version + ".");
  }

  TestCluster.Result kubectlWithInput(String stdin, String... args) {
    return TestCluster.kubectl(binary, kubeconfig, dir, stdin, args);
  }

  TestCluster.Result kubectl(String... args) {
    return kubectlWithInput(null, args);
  }

  private JsonNode json(String... args) {
    return Json.parse(kubectl(args).outOrFail().getBytes(StandardCharsets.UTF_8));
  }

  private List<String> names(String... args) {
    String out = kubectl(args).outOrFail().strip();
    return out.isEmpty() ? List.of() : Arrays.asList(out.split(" "));
  }

  static final String SETTINGS = """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings, labels: {app: matrix}}
      data: {color: blue}
      """;

  static final String WEB = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, labels: {app: matrix}}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: web, image: nginx:1.14.2, ports: [{containerPort: 80}]}]}
      """;

  @Override
  Created createGetAndList(String ns) {
    kubectl("create", "namespace", ns).outOrFail();
    kubectlWithInput(SETTINGS + "---\n" + WEB + """
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: other, labels: {app: other}}
        data: {color: red}
        """, "create", "-n", ns, "-f", "-").outOrFail();
    return new Created(json("get", "configmap", "settings", "-n", ns, "-o", "json"),
        json("get", "deployment", "web", "-n", ns, "-o", "json"),
        names("get", "configmaps", "-n", ns, "-l", "app=matrix", "-o", "jsonpath={.items[*].metadata.name}"),
        names("get", "configmaps", "-n", ns, "--field-selector", "metadata.name=other", "-o",
            "jsonpath={.items[*].metadata.name}"));
  }

  @Override
  List<String> watchFromAListsResourceVersion(String ns) throws Exception {
    kubectl("create", "namespace", ns).outOrFail();
    kubectlWithInput(SETTINGS.replace("settings", "watched"), "create", "-n", ns, "-f", "-").outOrFail();
    Path out = Files.createTempFile(dir, "watch", ".txt");
    // the list's object comes as ADDED, then the watch from the list's resourceVersion
    Process watch = TestCluster.kubectlBackground(binary, kubeconfig, dir, out, "get", "configmaps", "-n", ns,
        "-l", "app=matrix", "--watch", "--output-watch-events",
        "-o", "jsonpath={.type} {.object.metadata.name} {.object.data.color}{\"\\n\"}");
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(out).contains("ADDED watched"));
      kubectl("patch", "configmap", "watched", "-n", ns, "--type=merge", "-p", "{\"data\":{\"color\":\"green\"}}").outOrFail();
      await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(out).lines().count() >= 2);
      return Files.readString(out).lines().toList();
    } finally {
      watch.destroy();
    }
  }

  @Override
  Patched patchEveryWay(String ns) {
    kubectl("create", "namespace", ns).outOrFail();
    kubectlWithInput(WEB + "---\n" + SETTINGS, "create", "-n", ns, "-f", "-").outOrFail();
    kubectl("patch", "deployment", "web", "-n", ns, "--type=json", "-p", """
        [{"op": "replace", "path": "/spec/revisionHistoryLimit", "value": 3},
         {"op": "add", "path": "/metadata/labels/json", "value": "patched"}]""").outOrFail();
    kubectl("patch", "deployment", "web", "-n", ns, "--type=merge", "-p",
        "{\"metadata\": {\"labels\": {\"merge\": \"patched\"}}, \"spec\": {\"minReadySeconds\": 5}}").outOrFail();
    kubectl("patch", "deployment", "web", "-n", ns, "--type=strategic", "-p",
        "{\"spec\": {\"template\": {\"spec\": {\"containers\": [{\"name\": \"web\", \"image\": \"nginx:1.16.1\"}]}}}}").outOrFail();
    kubectlWithInput("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {size: large}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: applied, labels: {app: matrix}}
        data: {source: apply}
        """, "apply", "--server-side", "--field-manager=matrix", "-n", ns, "-f", "-").outOrFail();
    return new Patched(json("get", "deployment", "web", "-n", ns, "-o", "json"),
        json("get", "configmap", "settings", "-n", ns, "-o", "json"), json("get", "configmap", "applied", "-n", ns, "-o", "json"));
  }

  @Override
  Scaled scaleThroughTheSubresource(String ns) {
    kubectl("create", "namespace", ns).outOrFail();
    kubectlWithInput(WEB, "create", "-n", ns, "-f", "-").outOrFail();
    assertThat(kubectl("scale", "deployment", "web", "-n", ns, "--replicas=3").outOrFail())
        .isEqualTo("deployment.apps/web scaled\n");
    return new Scaled(json("get", "deployment", "web", "-n", ns, "--subresource=scale", "-o", "json"),
        json("get", "deployment", "web", "-n", ns, "-o", "json"));
  }

  @Override
  JsonNode writeAndReadStatus(String ns) {
    kubectl("create", "namespace", ns).outOrFail();
    kubectlWithInput("""
        apiVersion: v1
        kind: Pod
        metadata: {name: runner}
        spec: {nodeName: node-1, containers: [{name: main, image: busybox}]}
        """, "create", "-n", ns, "-f", "-").outOrFail();
    kubectl("patch", "pod", "runner", "-n", ns, "--subresource=status", "--type=merge", "-p", """
        {"status": {"phase": "Running", "podIP": "10.0.0.7", "conditions": [{"type": "Ready", "status": "True"}]}}""")
        .outOrFail();
    return json("get", "pod", "runner", "-n", ns, "--subresource=status", "-o", "json");
  }

  @Override
  Streamed logsAndExec(String ns, String pod) {
    String log = kubectl("logs", pod, "-n", ns).outOrFail();
    TestCluster.Result echo = kubectl("exec", pod, "-n", ns, "--", "echo", "hello");
    TestCluster.Result fail = kubectl("exec", pod, "-n", ns, "--", "fail");
    // kubectl adds its own line for the exit code
    String failErr = fail.err().replace("command terminated with exit code 3\n", "");
    return new Streamed(log, echo.out(), echo.exitCode(), fail.out(), failErr, fail.exitCode());
  }
}
