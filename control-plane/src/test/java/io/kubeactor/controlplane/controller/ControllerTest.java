package io.kubeactor.controlplane.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.kubeactor.controlplane.client.Informer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The controller mechanism over a real store: informer events to keys, queue semantics, retries. */
class ControllerTest {

  static final ControllerFixture fixture = new ControllerFixture();

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  /** Records reconciles; each one completes when the test says so. */
  static final class Recording implements Reconciler {
    final String name;
    final List<String> started = new CopyOnWriteArrayList<>();
    final Map<String, CompletableFuture<Result>> open = new ConcurrentHashMap<>();
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrentForOneKey = new AtomicInteger();
    final Map<String, AtomicInteger> perKey = new ConcurrentHashMap<>();
    volatile Queue queue;

    Recording(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void start(Queue queue) {
      this.queue = queue;
      queue.watch(fixture.context.informers().of(ConfigMap.class), e -> e.object().getMetadata().getName().startsWith(name)
          ? List.of(Informer.keyOf(e.object())) : List.of());
    }

    /** As every reconciler: the objects already cached, since the controller may start after they were created. */
    @Override
    public Collection<String> keys() {
      return fixture.context.informers().of(ConfigMap.class).list().stream()
          .filter(c -> c.getMetadata().getName().startsWith(name)).map(Informer::keyOf).toList();
    }

    @Override
    public CompletionStage<Result> reconcile(String key) {
      started.add(key);
      int n = perKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      maxConcurrentForOneKey.accumulateAndGet(n, Math::max);
      CompletableFuture<Result> f = new CompletableFuture<>();
      open.put(key, f);
      return f.whenComplete((r, e) -> perKey.get(key).decrementAndGet());
    }

    void finish(String key, Result r) {
      open.remove(key).complete(r);
    }

    void fail(String key) {
      open.remove(key).completeExceptionally(new IllegalStateException("boom"));
    }
  }

  private static void configMap(String name) {
    fixture.apply("{apiVersion: v1, kind: ConfigMap, metadata: {name: " + name + ", namespace: default}, data: {a: '1'}}");
  }

  @Test
  void aChangeDuringReconcileRunsTheKeyOnceMoreAfterwardsNeverTwiceAtOnce() {
    Recording r = new Recording("cm-a");
    ActorRef<Controller.Command> c = fixture.start(r);
    configMap("cm-a1");
    await().until(() -> r.open.containsKey("default/cm-a1"));
    // three more changes while the first reconcile runs
    for (int i = 0; i < 3; i++) c.tell(new Controller.Enqueue("default/cm-a1"));
    fixture.change("v1", "ConfigMap", "default", "cm-a1", o -> { o.with("data").put("a", "2"); return o; });
    // the controller handles its messages in order: once a later key has started, it has had those changes
    awaitProbe(c, r, "probe-1");
    assertThat(r.started).containsExactly("default/cm-a1", "probe-1");
    r.finish("default/cm-a1", Reconciler.Result.done());
    await().until(() -> r.started.size() == 3 && r.open.containsKey("default/cm-a1"));
    r.finish("default/cm-a1", Reconciler.Result.done());
    // ... and once a key queued after the last reconcile ended has started, that end was handled
    awaitProbe(c, r, "probe-2");
    assertThat(r.started).containsExactly("default/cm-a1", "probe-1", "default/cm-a1", "probe-2");
    assertThat(r.maxConcurrentForOneKey.get()).isEqualTo(1);
  }

  /** Queues a key of no object and waits for its reconcile to start, then ends it. */
  private static void awaitProbe(ActorRef<Controller.Command> c, Recording r, String key) {
    c.tell(new Controller.Enqueue(key));
    await().until(() -> r.open.containsKey(key));
    r.finish(key, Reconciler.Result.done());
  }

  @Test
  void aFailedReconcileIsRetriedAndARequeueComesBack() {
    Recording r = new Recording("cm-b");
    fixture.start(r);
    configMap("cm-b1");
    await().until(() -> r.open.containsKey("default/cm-b1"));
    r.fail("default/cm-b1");
    await().until(() -> r.started.size() == 2 && r.open.containsKey("default/cm-b1"));
    r.finish("default/cm-b1", Reconciler.Result.requeueAfter(Duration.ofMillis(100)));
    await().atMost(Duration.ofSeconds(5)).until(() -> r.started.size() == 3 && r.open.containsKey("default/cm-b1"));
    r.finish("default/cm-b1", Reconciler.Result.done());
  }

  @Test
  void distinctKeysRunInParallel() {
    Recording r = new Recording("cm-c");
    fixture.start(r);
    configMap("cm-c1");
    configMap("cm-c2");
    configMap("cm-c3");
    await().until(() -> r.open.size() == 3);
    List.copyOf(r.open.keySet()).forEach(k -> r.finish(k, Reconciler.Result.done()));
  }

  @Test
  void awaitingAReconcileTakesOneThatStartedAfterTheCallAndSucceeded() {
    Recording r = new Recording("cm-d");
    ActorRef<Controller.Command> c = fixture.start(r);
    c.tell(new Controller.Enqueue("k"));
    await().until(() -> r.open.containsKey("k"));
    CompletableFuture<Void> awaited = CompletableFuture.runAsync(() -> fixture.awaitReconciled(c, "k"));
    // the reconcile that was running already does not count, though it succeeds
    r.finish("k", Reconciler.Result.done());
    await().until(() -> r.started.size() == 2 && r.open.containsKey("k"));
    assertThat(awaited).isNotDone();
    // nor does one that fails
    r.fail("k");
    await().until(() -> r.started.size() == 3 && r.open.containsKey("k"));
    assertThat(awaited).isNotDone();
    r.finish("k", Reconciler.Result.done());
    await().until(awaited::isDone);
    assertThat(awaited).isCompleted();
  }

  @Test
  void theServiceAccountsControllerGivesEachNamespaceItsDefaultAccountAgain() {
    fixture.start(new io.kubeactor.controlplane.controller.serviceaccount.ServiceAccountsController(fixture.context));
    fixture.apply("{apiVersion: v1, kind: Namespace, metadata: {name: team-a}}");
    await().until(() -> fixture.get(ServiceAccount.class, "team-a", "default") != null);
    fixture.delete("v1", "ServiceAccount", "team-a", "default", null);
    await().until(() -> fixture.get(ServiceAccount.class, "team-a", "default") != null);
  }
}
