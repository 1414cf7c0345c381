package io.kubeactor.controlplane.e2e.clients;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.reflect.TypeToken;
import io.kubeactor.common.Json;
import io.kubernetes.client.Exec;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Scale;
import io.kubernetes.client.util.Config;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Watch;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;

/** The scenario driven by the official Java client, io.kubernetes:client-java (the version the parent pom pins). */
@DisplayName("Kubernetes Java client (io.kubernetes:client-java) 24.0.0")
class JavaClient24IT extends ClientScenario implements ClientScenario.InformerSteps {

  private ApiClient client;
  private CoreV1Api core;
  private AppsV1Api apps;

  @Override
  void startClient() throws Exception {
    client = Config.fromConfig(kubeconfig.toString());
    // a watch is quiet as long as nothing changes
    client.setHttpClient(client.getHttpClient().newBuilder().readTimeout(0, TimeUnit.SECONDS).build());
    core = new CoreV1Api(client);
    apps = new AppsV1Api(client);
  }

  private void namespace(String name) throws Exception {
    core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
  }

  private static V1ConfigMap configMap(String name, String app, String color) {
    return new V1ConfigMap().metadata(new V1ObjectMeta().name(name).labels(Map.of("app", app))).data(Map.of("color", color));
  }

  private static V1Deployment web() {
    return new V1Deployment().metadata(new V1ObjectMeta().name("web").labels(Map.of("app", "matrix")))
        .spec(new V1DeploymentSpec().replicas(2).selector(new V1LabelSelector().matchLabels(Map.of("app", "web")))
            .template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(Map.of("app", "web")))
                .spec(new V1PodSpec().addContainersItem(new V1Container().name("web").image("nginx:1.14.2")
                    .addPortsItem(new V1ContainerPort().containerPort(80))))));
  }

  /**
   * An object as the server sent it: the client's models would add what it left out (empty lists),
   * so the client's call is made and its body read.
   */
  private static JsonNode read(okhttp3.Call call) throws Exception {
    try (okhttp3.Response response = call.execute()) {
      if (!response.isSuccessful()) throw new AssertionError(response.code() + ": " + response.body().string());
      return Json.parse(response.body().bytes());
    }
  }

  private static List<String> names(V1ConfigMapList list) {
    return list.getItems().stream().map(c -> c.getMetadata().getName()).toList();
  }

  private static String event(String type, V1ConfigMap cm) {
    return type + " " + cm.getMetadata().getName() + " " + cm.getData().get("color");
  }

  @Override
  Created createGetAndList(String ns) throws Exception {
    namespace(ns);
    core.createNamespacedConfigMap(ns, configMap("settings", "matrix", "blue")).execute();
    core.createNamespacedConfigMap(ns, configMap("other", "other", "red")).execute();
    apps.createNamespacedDeployment(ns, web()).execute();
    return new Created(read(core.readNamespacedConfigMap("settings", ns).buildCall(null)),
        read(apps.readNamespacedDeployment("web", ns).buildCall(null)),
        names(core.listNamespacedConfigMap(ns).labelSelector("app=matrix").execute()),
        names(core.listNamespacedConfigMap(ns).fieldSelector("metadata.name=other").execute()));
  }

  @Override
  List<String> watchFromAListsResourceVersion(String ns) throws Exception {
    namespace(ns);
    String rv = core.listNamespacedConfigMap(ns).labelSelector("app=matrix").execute().getMetadata().getResourceVersion();
    core.createNamespacedConfigMap(ns, configMap("watched", "matrix", "blue")).execute();
    V1ConfigMap watched = core.readNamespacedConfigMap("watched", ns).execute();
    watched.getData().put("color", "green");
    core.replaceNamespacedConfigMap("watched", ns, watched).execute();
    List<String> events = new ArrayList<>();
    try (Watch<V1ConfigMap> watch = Watch.createWatch(client,
        core.listNamespacedConfigMap(ns).labelSelector("app=matrix").resourceVersion(rv).watch(true).buildCall(null),
        new TypeToken<Watch.Response<V1ConfigMap>>() {}.getType())) {
      for (Watch.Response<V1ConfigMap> e : watch) {
        events.add(event(e.type, e.object));
        if (events.size() == 2) break;
      }
    }
    return events;
  }

  @Override
  public Informed inform(String ns, Cut cut) throws Exception {
    namespace(ns);
    core.createNamespacedConfigMap(ns, configMap("first", "matrix", "blue")).execute();
    SharedInformerFactory factory = new SharedInformerFactory(client);
    SharedIndexInformer<V1ConfigMap> informer = factory.sharedIndexInformerFor(params -> core.listNamespacedConfigMap(ns)
        .labelSelector("app=matrix").resourceVersion(params.resourceVersion).watch(params.watch)
        .timeoutSeconds(params.timeoutSeconds).buildCall(null), V1ConfigMap.class, V1ConfigMapList.class);
    List<String> events = new CopyOnWriteArrayList<>();
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(V1ConfigMap cm) {
        events.add(event("ADDED", cm));
      }

      @Override
      public void onUpdate(V1ConfigMap before, V1ConfigMap cm) {
        // a relist hands every object over again, changed or not
        if (!before.getMetadata().getResourceVersion().equals(cm.getMetadata().getResourceVersion())) {
          events.add(event("MODIFIED", cm));
        }
      }

      @Override
      public void onDelete(V1ConfigMap cm, boolean finalStateUnknown) {
        events.add(event("DELETED", cm));
      }
    });
    factory.startAllRegisteredInformers();
    try {
      await().atMost(Duration.ofSeconds(20)).until(informer::hasSynced);
      List<String> synced = informer.getIndexer().list().stream().map(c -> c.getMetadata().getName()).toList();
      cut.run();
      await().atMost(Duration.ofSeconds(30)).until(() -> events.size() >= 3);
      core.deleteNamespacedConfigMap("first", ns).execute();
      await().atMost(Duration.ofSeconds(20)).until(() -> events.size() >= 4);
      return new Informed(synced, List.copyOf(events),
          informer.getIndexer().list().stream().map(c -> c.getMetadata().getName()).toList());
    } finally {
      factory.stopAllRegisteredInformers();
    }
  }

  @Override
  Patched patchEveryWay(String ns) throws Exception {
    namespace(ns);
    apps.createNamespacedDeployment(ns, web()).execute();
    core.createNamespacedConfigMap(ns, configMap("settings", "matrix", "blue")).execute();
    patchWeb(ns, V1Patch.PATCH_FORMAT_JSON_PATCH, """
        [{"op": "replace", "path": "/spec/revisionHistoryLimit", "value": 3},
         {"op": "add", "path": "/metadata/labels/json", "value": "patched"}]""");
    patchWeb(ns, V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
        "{\"metadata\": {\"labels\": {\"merge\": \"patched\"}}, \"spec\": {\"minReadySeconds\": 5}}");
    patchWeb(ns, V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH,
        "{\"spec\": {\"template\": {\"spec\": {\"containers\": [{\"name\": \"web\", \"image\": \"nginx:1.16.1\"}]}}}}");
    apply(ns, "settings", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {size: large}\n");
    apply(ns, "applied", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied, labels: {app: matrix}}\ndata: {source: apply}\n");
    return new Patched(read(apps.readNamespacedDeployment("web", ns).buildCall(null)),
        read(core.readNamespacedConfigMap("settings", ns).buildCall(null)),
        read(core.readNamespacedConfigMap("applied", ns).buildCall(null)));
  }

  private void patchWeb(String ns, String format, String patch) throws Exception {
    PatchUtils.patch(V1Deployment.class,
        () -> apps.patchNamespacedDeployment("web", ns, new V1Patch(patch)).buildCall(null), format, client);
  }

  private void apply(String ns, String name, String yaml) throws Exception {
    PatchUtils.patch(V1ConfigMap.class,
        () -> core.patchNamespacedConfigMap(name, ns, new V1Patch(yaml)).fieldManager("matrix").buildCall(null),
        V1Patch.PATCH_FORMAT_APPLY_YAML, client);
  }

  @Override
  Scaled scaleThroughTheSubresource(String ns) throws Exception {
    namespace(ns);
    apps.createNamespacedDeployment(ns, web()).execute();
    // a patch: the deployment controller writes the Deployment too, so a read Scale's resourceVersion
    // may be stale by the time it is replaced
    PatchUtils.patch(V1Scale.class, () -> apps.patchNamespacedDeploymentScale("web", ns,
        new V1Patch("{\"spec\": {\"replicas\": 3}}")).buildCall(null), V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
    return new Scaled(read(apps.readNamespacedDeploymentScale("web", ns).buildCall(null)),
        read(apps.readNamespacedDeployment("web", ns).buildCall(null)));
  }

  @Override
  JsonNode writeAndReadStatus(String ns) throws Exception {
    namespace(ns);
    core.createNamespacedPod(ns, new V1Pod().metadata(new V1ObjectMeta().name("runner"))
        .spec(new V1PodSpec().nodeName(NODE).addContainersItem(new V1Container().name("main").image("busybox")))).execute();
    PatchUtils.patch(V1Pod.class, () -> core.patchNamespacedPodStatus("runner", ns, new V1Patch("""
        {"status": {"phase": "Running", "podIP": "10.0.0.7", "conditions": [{"type": "Ready", "status": "True"}]}}"""))
        .buildCall(null), V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
    return read(core.readNamespacedPodStatus("runner", ns).buildCall(null));
  }

  @Override
  Streamed logsAndExec(String ns, String pod) throws Exception {
    String log = core.readNamespacedPodLog(pod, ns).execute();
    Ran echo = exec(ns, pod, "echo", "hello");
    Ran fail = exec(ns, pod, "fail");
    return new Streamed(log, echo.out, echo.exit, fail.out, fail.err, fail.exit);
  }

  private record Ran(String out, String err, int exit) {}

  private Ran exec(String ns, String pod, String... command) throws Exception {
    Process process = new Exec(client).exec(ns, pod, command, false, false);
    // both streams taken at once: the client closes them when the command has ended
    InputStream out = process.getInputStream();
    InputStream err = process.getErrorStream();
    String stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(err.readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("the exec did not end in 30 s");
    int exit = process.exitValue();
    process.destroy();
    return new Ran(stdout, stderr, exit);
  }
}
