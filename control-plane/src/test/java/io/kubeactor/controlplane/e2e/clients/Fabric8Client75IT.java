package io.kubeactor.controlplane.e2e.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubeactor.common.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;

/** The scenario driven by the fabric8 Kubernetes client (the version the parent pom pins). */
@DisplayName("fabric8 kubernetes-client 7.5.2")
class Fabric8Client75IT extends ClientScenario implements ClientScenario.InformerSteps {

  private KubernetesClient client;

  @Override
  void startClient() {
    assertThat(io.fabric8.kubernetes.client.Version.clientVersion()).isEqualTo("7.5.2");
    client = cluster.fabric8(server);
  }

  @Override
  void stopClient() {
    if (client != null) client.close();
  }

  private void namespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
  }

  private static ConfigMap configMap(String name, String app, String color) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).addToLabels("app", app).endMetadata()
        .addToData("color", color).build();
  }

  private static Deployment web() {
    return new DeploymentBuilder()
        .withNewMetadata().withName("web").addToLabels("app", "matrix").endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("web").withImage("nginx:1.14.2").addNewPort().withContainerPort(80).endPort()
        .endContainer().endSpec().endTemplate().endSpec().build();
  }

  private static JsonNode tree(Object object) {
    return Json.toTree(object);
  }

  private static List<String> names(List<? extends HasMetadata> items) {
    return items.stream().map(i -> i.getMetadata().getName()).toList();
  }

  @Override
  Created createGetAndList(String ns) {
    namespace(ns);
    client.configMaps().inNamespace(ns).resource(configMap("settings", "matrix", "blue")).create();
    client.configMaps().inNamespace(ns).resource(configMap("other", "other", "red")).create();
    client.apps().deployments().inNamespace(ns).resource(web()).create();
    return new Created(tree(client.configMaps().inNamespace(ns).withName("settings").get()),
        tree(client.apps().deployments().inNamespace(ns).withName("web").get()),
        names(client.configMaps().inNamespace(ns).withLabel("app", "matrix").list().getItems()),
        names(client.configMaps().inNamespace(ns).withField("metadata.name", "other").list().getItems()));
  }

  @Override
  List<String> watchFromAListsResourceVersion(String ns) {
    namespace(ns);
    String rv = client.configMaps().inNamespace(ns).withLabel("app", "matrix").list().getMetadata().getResourceVersion();
    client.configMaps().inNamespace(ns).resource(configMap("watched", "matrix", "blue")).create();
    client.configMaps().inNamespace(ns).withName("watched").edit(c -> {
      c.getData().put("color", "green");
      return c;
    });
    List<String> events = new CopyOnWriteArrayList<>();
    try (var watch = client.configMaps().inNamespace(ns).withLabel("app", "matrix")
        .watch(new ListOptionsBuilder().withResourceVersion(rv).build(), new Watcher<>() {
          @Override
          public void eventReceived(Action action, ConfigMap cm) {
            events.add(action + " " + cm.getMetadata().getName() + " " + cm.getData().get("color"));
          }

          @Override
          public void onClose(WatcherException cause) {}
        })) {
      await().atMost(Duration.ofSeconds(20)).until(() -> events.size() >= 2);
    }
    return List.copyOf(events);
  }

  @Override
  public Informed inform(String ns, Cut cut) throws Exception {
    namespace(ns);
    client.configMaps().inNamespace(ns).resource(configMap("first", "matrix", "blue")).create();
    List<String> events = new CopyOnWriteArrayList<>();
    SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace(ns).withLabel("app", "matrix")
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(ConfigMap cm) {
            events.add("ADDED " + cm.getMetadata().getName() + " " + cm.getData().get("color"));
          }

          @Override
          public void onUpdate(ConfigMap before, ConfigMap cm) {
            if (!before.getMetadata().getResourceVersion().equals(cm.getMetadata().getResourceVersion())) {
              events.add("MODIFIED " + cm.getMetadata().getName() + " " + cm.getData().get("color"));
            }
          }

          @Override
          public void onDelete(ConfigMap cm, boolean finalStateUnknown) {
            events.add("DELETED " + cm.getMetadata().getName() + " " + cm.getData().get("color"));
          }
        });
    try {
      await().atMost(Duration.ofSeconds(20)).until(informer::hasSynced);
      List<String> synced = names(informer.getStore().list());
      cut.run();
      await().atMost(Duration.ofSeconds(30)).until(() -> events.size() >= 3);
      client.configMaps().inNamespace(ns).withName("first").delete();
      await().atMost(Duration.ofSeconds(20)).until(() -> events.size() >= 4);
      return new Informed(synced, List.copyOf(events), names(informer.getStore().list()));
    } finally {
      informer.close();
    }
  }

  @Override
  Patched patchEveryWay(String ns) {
    namespace(ns);
    var deployments = client.apps().deployments().inNamespace(ns);
    deployments.resource(web()).create();
    client.configMaps().inNamespace(ns).resource(configMap("settings", "matrix", "blue")).create();
    deployments.withName("web").patch(PatchContext.of(PatchType.JSON), """
        [{"op": "replace", "path": "/spec/revisionHistoryLimit", "value": 3},
         {"op": "add", "path": "/metadata/labels/json", "value": "patched"}]""");
    deployments.withName("web").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\": {\"labels\": {\"merge\": \"patched\"}}, \"spec\": {\"minReadySeconds\": 5}}");
    deployments.withName("web").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
        "{\"spec\": {\"template\": {\"spec\": {\"containers\": [{\"name\": \"web\", \"image\": \"nginx:1.16.1\"}]}}}}");
    // fabric8's server-side apply is of an object (its patch of a String reads the object first, which
    // must then exist)
    client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata()
        .addToData("size", "large").build()).fieldManager("matrix").serverSideApply();
    client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("applied")
        .addToLabels("app", "matrix").endMetadata().addToData("source", "apply").build()).fieldManager("matrix").serverSideApply();
    return new Patched(tree(deployments.withName("web").get()), tree(client.configMaps().inNamespace(ns).withName("settings").get()),
        tree(client.configMaps().inNamespace(ns).withName("applied").get()));
  }

  @Override
  Scaled scaleThroughTheSubresource(String ns) {
    namespace(ns);
    var web = client.apps().deployments().inNamespace(ns).resource(web());
    web.create();
    web.scale(3);
    return new Scaled(tree(web.scale()), tree(web.get()));
  }

  @Override
  JsonNode writeAndReadStatus(String ns) {
    namespace(ns);
    var runner = client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("runner").endMetadata()
        .withNewSpec().withNodeName(NODE).addNewContainer().withName("main").withImage("busybox").endContainer().endSpec()
        .build());
    runner.create();
    runner.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), """
        {"status": {"phase": "Running", "podIP": "10.0.0.7", "conditions": [{"type": "Ready", "status": "True"}]}}""");
    // fabric8 writes subresources but reads none: its raw GET does
    return Json.parse(client.raw("/api/v1/namespaces/" + ns + "/pods/runner/status").getBytes(StandardCharsets.UTF_8));
  }

  @Override
  Streamed logsAndExec(String ns, String pod) throws Exception {
    var runner = client.pods().inNamespace(ns).withName(pod);
    String log = runner.getLog();
    Exec echo = exec(ns, pod, "echo", "hello");
    Exec fail = exec(ns, pod, "fail");
    return new Streamed(log, echo.out, echo.exit, fail.out, fail.err, fail.exit);
  }

  private record Exec(String out, String err, int exit) {}

  private Exec exec(String ns, String pod, String... command) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (ExecWatch watch = client.pods().inNamespace(ns).withName(pod).writingOutput(out).writingError(err).exec(command)) {
      int exit = watch.exitCode().get(30, TimeUnit.SECONDS);
      return new Exec(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), exit);
    }
  }
}
