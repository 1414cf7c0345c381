package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fabric8 client, unchanged, against the control plane: CRUD, selectors, watches and informers. */
class Fabric8ClientIT {

  static TestCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    // a small watch window, so that a watch from an old resourceVersion expires quickly
    cluster = TestCluster.start(java.nio.file.Files.createTempDirectory("kubeactor-f8"),
        Map.of("kubeactor.store.watch-window", 20));
    client = cluster.fabric8();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) client.close();
    if (cluster != null) cluster.close();
  }

  static String namespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    return name;
  }

  @Test
  void createReadUpdatePatchDelete() {
    String ns = namespace("crud");
    Deployment d = new DeploymentBuilder()
        .withNewMetadata().withName("web").withLabels(Map.of("tier", "front")).endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("web").withImage("nginx:1.14.2").endContainer().endSpec()
        .endTemplate().endSpec().build();

    Deployment created = client.apps().deployments().inNamespace(ns).resource(d).create();
    assertThat(created.getMetadata().getUid()).isNotBlank();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(created.getSpec().getReplicas()).isEqualTo(1);
    assertThat(created.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");

    Deployment scaled = retryOnConflict(() -> client.apps().deployments().inNamespace(ns).withName("web").scale(3));
    assertThat(scaled.getSpec().getReplicas()).isEqualTo(3);

    // the deployment controller writes the object too (revision annotation, status): retry on
    // conflict, as client-go's RetryOnConflict does
    Deployment edited = retryOnConflict(() -> client.apps().deployments().inNamespace(ns).withName("web")
        .edit(x -> new DeploymentBuilder(x).editSpec().withMinReadySeconds(7).endSpec().build()));
    assertThat(edited.getSpec().getMinReadySeconds()).isEqualTo(7);
    assertThat(edited.getMetadata().getGeneration()).isEqualTo(3L);

    assertThat(client.apps().deployments().inNamespace(ns).withLabel("tier", "front").list().getItems()).hasSize(1);
    assertThat(client.apps().deployments().inNamespace(ns).withLabel("tier", "back").list().getItems()).isEmpty();

    // an update from a stale copy conflicts
    Deployment stale = new DeploymentBuilder(created).editSpec().withPaused(true).endSpec().build();
    assertThatThrownBy(() -> client.apps().deployments().inNamespace(ns).resource(stale).update())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

    assertThat(client.apps().deployments().inNamespace(ns).withName("web").delete()).hasSize(1);
    assertThat(client.apps().deployments().inNamespace(ns).withName("web").get()).isNull();
  }

  static <T> T retryOnConflict(java.util.function.Supplier<T> write) {
    for (int attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) throw e;
      }
    }
  }

  @Test
  void listsPageWithLimitAndContinue() {
    String ns = namespace("paging");
    for (int i = 0; i < 7; i++) {
      client.configMaps().inNamespace(ns).resource(configMap("cm-" + i)).create();
    }
    var first = client.configMaps().inNamespace(ns).list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
        .withLabelSelector(LABEL).withLimit(3L).build());
    assertThat(first.getItems()).extracting(c -> c.getMetadata().getName()).containsExactly("cm-0", "cm-1", "cm-2");
    assertThat(first.getMetadata().getContinue()).isNotBlank();
    var second = client.configMaps().inNamespace(ns).list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
        .withLabelSelector(LABEL).withLimit(5L).withContinue(first.getMetadata().getContinue()).build());
    assertThat(second.getItems()).extracting(c -> c.getMetadata().getName()).containsExactly("cm-3", "cm-4", "cm-5", "cm-6");
    assertThat(second.getMetadata().getContinue()).isNullOrEmpty();
  }

  @Test
  void informerFollowsAddsUpdatesAndDeletes() {
    String ns = namespace("informed");
    List<String> seen = new CopyOnWriteArrayList<>();
    SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace(ns).withLabel(LABEL)
        .inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ConfigMap obj) {
        seen.add("add " + obj.getMetadata().getName());
      }

      @Override
      public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
        if (!oldObj.getMetadata().getResourceVersion().equals(newObj.getMetadata().getResourceVersion())) {
          seen.add("update " + newObj.getMetadata().getName());
        }
      }

      @Override
      public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
        seen.add("delete " + obj.getMetadata().getName());
      }
    });
    try {
      client.configMaps().inNamespace(ns).resource(configMap("a")).create();
      client.configMaps().inNamespace(ns).withName("a").edit(c -> { c.getData().put("k", "v2"); return c; });
      client.configMaps().inNamespace(ns).withName("a").delete();
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(seen).containsExactly("add a", "update a", "delete a"));
      assertThat(informer.getStore().list()).isEmpty();
    } finally {
      informer.close();
    }
  }

  @Test
  void watchResumesFromAResourceVersionAndExpiredOnesGet410() throws Exception {
    String ns = namespace("resume");
    ConfigMap first = client.configMaps().inNamespace(ns).resource(configMap("first")).create();
    String from = first.getMetadata().getResourceVersion();
    client.configMaps().inNamespace(ns).resource(configMap("second")).create();
    client.configMaps().inNamespace(ns).resource(configMap("third")).create();

    List<String> events = new CopyOnWriteArrayList<>();
    try (var w = client.configMaps().inNamespace(ns).withResourceVersion(from).watch(new Watcher<ConfigMap>() {
      @Override
      public void eventReceived(Action action, ConfigMap resource) {
        events.add(action + " " + resource.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {}
    })) {
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(events).containsExactly("ADDED second", "ADDED third"));
    }

    // push the first write out of the 20-change window
    for (int i = 0; i < 25; i++) client.configMaps().inNamespace(ns).resource(configMap("filler-" + i)).create();
    CompletableFuture<WatcherException> closed = new CompletableFuture<>();
    try (var w = client.configMaps().inNamespace(ns).withResourceVersion(from).watch(new Watcher<ConfigMap>() {
      @Override
      public void eventReceived(Action action, ConfigMap resource) {}

      @Override
      public void onClose(WatcherException cause) {
        closed.complete(cause);
      }
    })) {
      WatcherException e = closed.get(20, TimeUnit.SECONDS);
      assertThat(e.isHttpGone()).isTrue();
    }
  }

  @Test
  void informerCatchesUpAfterTheControlPlaneRestartsAndItsResourceVersionExpired() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("kubeactor-relist");
    Map<String, Object> settings = Map.of("kubeactor.api.port", ControlPlaneProcess.freePort(), "kubeactor.store.watch-window", 20);
    TestCluster first = TestCluster.start(dir, settings);
    KubernetesClient informing = first.fabric8();
    SharedIndexInformer<ConfigMap> informer = informing.configMaps().inNamespace("default").withLabel(LABEL).inform();
    try {
      informing.configMaps().inNamespace("default").resource(configMap("before")).create();
      await().atMost(Duration.ofSeconds(20)).until(() -> informer.getStore().list().size() == 1);
      first.close();

      // while the informer reconnects, more changes than the watch window holds: its resourceVersion
      // has expired (410) and it must list again to catch up
      try (TestCluster second = TestCluster.start(dir, settings); KubernetesClient writer = second.fabric8()) {
        for (int i = 0; i < 30; i++) writer.configMaps().inNamespace("default").resource(configMap("after-" + i)).create();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(informer.getStore().list()).hasSize(31));
      }
    } finally {
      informer.close();
      informing.close();
    }
  }

  /** On the test's ConfigMaps: every namespace also has kube-root-ca.crt, as upstream's have. */
  static final String LABEL = "fabric8-it";

  static ConfigMap configMap(String name) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).addToLabels(LABEL, "yes").endMetadata()
        .addToData("k", "v").build();
  }
}
