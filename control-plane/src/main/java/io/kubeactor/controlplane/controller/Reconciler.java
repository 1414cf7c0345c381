package io.kubeactor.controlplane.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeactor.controlplane.client.Informer;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * What a controller is: which changes concern which keys, and a level-triggered reconcile of one
 * key. {@link Controller} runs it: one actor per controller, with a work queue that never hands one
 * key to two reconciles at once, and retries with back-off.
 */
public interface Reconciler {

  /** The controller's name, as kube-controller-manager names it ("replicaset-controller"). */
  String name();

  /** Connects informers to the queue; called once, on the controller's actor, when it starts. */
  void start(Queue queue);

  /** Every key to reconcile at start and at each periodic resync (client-go's resync). */
  Collection<String> keys();

  /**
   * Brings the key's object towards what it asks for, from what the informers show now. Runs on the
   * controller's actor and must not block: writes are asynchronous, and the stage completes when
   * they are done. Idempotent: a key may be reconciled any number of times. A failed stage (e.g. a
   * resourceVersion conflict) is retried with back-off.
   */
  CompletionStage<Result> reconcile(String key);

  /** How a reconcile ended. */
  record Result(Duration requeueAfter) {
    private static final Result DONE = new Result(null);

    public static Result done() {
      return DONE;
    }

    /** Reconcile again after the delay (e.g. when minReadySeconds or a toleration runs out). */
    public static Result requeueAfter(Duration delay) {
      return new Result(delay);
    }

    /** The sooner of two requeues (done is never sooner). */
    public Result sooner(Result other) {
      if (requeueAfter == null) return other;
      if (other.requeueAfter == null) return this;
      return requeueAfter.compareTo(other.requeueAfter) <= 0 ? this : other;
    }
  }

  /** The controller's queue, as a reconciler sees it: thread-safe, for handlers and callbacks. */
  interface Queue {
    /** Maps each change of the informer to the keys it concerns, and queues them. */
    <T extends HasMetadata> void watch(Informer<T> informer, Function<Informer.Event<T>, Collection<String>> keys);

    void add(String key);

    void addAfter(String key, Duration delay);
  }
}
