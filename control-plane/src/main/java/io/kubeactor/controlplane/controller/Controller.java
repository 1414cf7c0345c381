package io.kubeactor.controlplane.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.client.Informer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The one controller mechanism: an actor that runs a {@link Reconciler} over a {@link WorkQueue}.
 * Informer handlers enqueue keys; up to {@code workers} distinct keys are reconciled at once, one
 * key never twice at once; a key that changed while it was reconciled runs again; failures retry
 * with exponential back-off; every key is queued again at each resync.
 */
public final class Controller extends AbstractBehavior<Controller.Command> {

  public sealed interface Command {}

  /** Queue a key now. */
  public record Enqueue(String key) implements Command {}

  private record Finished(String key, Reconciler.Result result, Throwable failure) implements Command {}

  /** Queue a key after a delay; the soonest of several pending delays wins, as client-go's AddAfter. */
  private record EnqueueAfter(String key, Duration delay) implements Command {}

  private record Due(String key) implements Command {}

  private enum Resync implements Command { INSTANCE }

  /** client-go refreshes its unfinished-work gauges this often. */
  private enum UpdateUnfinishedWork implements Command { INSTANCE }

  private static final Duration UNFINISHED_WORK_PERIOD = Duration.ofMillis(500);

  /** How a controller runs: parallel reconciles, back-off bounds, resync period. */
  public record Settings(int workers, Duration baseDelay, Duration maxDelay, Duration resync) {
    public static Settings defaults() {
      return new Settings(4, Duration.ofMillis(5), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    public Settings withWorkers(int n) {
      return new Settings(n, baseDelay, maxDelay, resync);
    }
  }

  /**
   * Told of each reconcile as it starts and as it ends, on the controller's actor, so it must not
   * block: for whatever watches the controller from outside, such as metrics (client-go's workqueue
   * metrics) or a test that needs evidence the controller has processed a change.
   */
  public interface Listener {
    Listener NONE = new Listener() {};

    default void started(String key) {}

    /** The reconcile of the key ended: {@code failure} is null when it succeeded. */
    default void finished(String key, Throwable failure) {}
  }

  public static Behavior<Command> create(Reconciler reconciler, Settings settings) {
    return create(reconciler, settings, Listener.NONE);
  }

  public static Behavior<Command> create(Reconciler reconciler, Settings settings, Listener listener) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Controller(ctx, timers, reconciler, settings, listener)));
  }

  private final TimerScheduler<Command> timers;
  private final Reconciler reconciler;
  private final Settings settings;
  private final Listener listener;
  private final WorkQueue queue;
  private final List<AutoCloseable> subscriptions = new ArrayList<>();
  private final java.util.Map<String, Long> due = new java.util.HashMap<>();
  private int running;

  private Controller(ActorContext<Command> ctx, TimerScheduler<Command> timers, Reconciler reconciler, Settings settings,
      Listener listener) {
    super(ctx);
    this.timers = timers;
    this.reconciler = reconciler;
    this.settings = settings;
    this.listener = listener;
    this.queue = new WorkQueue(settings.baseDelay(), settings.maxDelay(), WorkQueueMetrics.of(reconciler.name()));
    ActorRef<Command> self = ctx.getSelf();
    reconciler.start(new Reconciler.Queue() {
      @Override
      public <T extends HasMetadata> void watch(Informer<T> informer, Function<Informer.Event<T>, Collection<String>> keys) {
        subscriptions.add(informer.addHandler(e -> keys.apply(e).forEach(k -> self.tell(new Enqueue(k)))));
      }

      @Override
      public void add(String key) {
        self.tell(new Enqueue(key));
      }

      @Override
      public void addAfter(String key, Duration delay) {
        self.tell(new EnqueueAfter(key, delay));
      }
    });
    reconciler.keys().forEach(queue::add);
    timers.startTimerWithFixedDelay(Resync.INSTANCE, settings.resync());
    timers.startTimerWithFixedDelay(UpdateUnfinishedWork.INSTANCE, UNFINISHED_WORK_PERIOD);
    startWork();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Enqueue.class, m -> {
          queue.add(m.key());
          startWork();
          return this;
        })
        .onMessage(EnqueueAfter.class, m -> {
          enqueueAfter(m.key(), m.delay());
          return this;
        })
        .onMessage(Due.class, m -> {
          due.remove(m.key());
          queue.add(m.key());
          startWork();
          return this;
        })
        .onMessage(Finished.class, this::onFinished)
        .onMessageEquals(Resync.INSTANCE, () -> {
          reconciler.keys().forEach(queue::add);
          startWork();
          return this;
        })
        .onMessageEquals(UpdateUnfinishedWork.INSTANCE, () -> {
          queue.updateUnfinishedWork();
          return this;
        })
        .onSignal(PostStop.class, s -> stopWatching())
        .onSignal(org.apache.pekko.actor.typed.PreRestart.class, s -> stopWatching())
        .build();
  }

  private Behavior<Command> stopWatching() throws Exception {
    for (AutoCloseable c : subscriptions) c.close();
    return this;
  }

  private void startWork() {
    while (running < settings.workers()) {
      var next = queue.next();
      if (next.isEmpty()) return;
      String key = next.get();
      running++;
      listener.started(key);
      CompletionStage<Reconciler.Result> stage;
      try {
        stage = reconciler.reconcile(key);
      } catch (RuntimeException e) {
        getContext().getSelf().tell(new Finished(key, null, e));
        continue;
      }
      ActorRef<Command> self = getContext().getSelf();
      stage.whenComplete((r, e) -> self.tell(new Finished(key, r, e)));
    }
  }

  private void enqueueAfter(String key, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      queue.add(key);
      startWork();
      return;
    }
    long at = System.nanoTime() + delay.toNanos();
    Long pending = due.get(key);
    if (pending != null && pending - at <= 0) return;
    due.put(key, at);
    timers.startSingleTimer("due:" + key, new Due(key), delay);
  }

  private Behavior<Command> onFinished(Finished f) {
    running--;
    String key = f.key();
    queue.done(key);
    listener.finished(key, f.failure());
    if (f.failure() != null) {
      Throwable cause = ApiException.unwrap(f.failure());
      Duration delay = queue.backoff(key);
      boolean conflict = ApiException.hasCode(cause, 409) || ApiException.hasCode(cause, 404);
      if (conflict || queue.failures(key) > 1) {
        getContext().getLog().debug("{}: {} failed ({}), retrying in {}", reconciler.name(), key, cause.toString(), delay);
      } else {
        getContext().getLog().warn("{}: {} failed, retrying in {}", reconciler.name(), key, delay, cause);
      }
      enqueueAfter(key, delay);
    } else {
      queue.forget(key);
      if (f.result() != null && f.result().requeueAfter() != null) {
        enqueueAfter(key, f.result().requeueAfter());
      }
    }
    startWork();
    return this;
  }
}
