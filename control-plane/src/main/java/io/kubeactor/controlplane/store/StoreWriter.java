package io.kubeactor.controlplane.store;

import io.kubeactor.common.Continuations;
import io.kubeactor.controlplane.store.WriteResult.Failure;
import io.kubeactor.controlplane.store.WriteResult.Rejected;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Group commit in front of the {@link ObjectStore}: while one batch is being persisted, writes that
 * arrive wait here and go together as the next batch, in one journal transaction. Under load many
 * writes share one commit; alone, a write goes at once.
 */
public final class StoreWriter extends AbstractBehavior<StoreWriter.Command> {

  public sealed interface Command {}

  public record Write(Mutation mutation, ActorRef<WriteResult> replyTo) implements Command {}

  private record BatchDone(List<Write> writes, ObjectStore.BatchApplied applied, Throwable failure, long sentNanos)
      implements Command {}

  private final ActorRef<ObjectStore.Command> store;
  private final Duration timeout;
  private final int maxBatch;
  private final List<Write> pending = new ArrayList<>();
  private boolean inFlight;

  public static Behavior<Command> create(ActorRef<ObjectStore.Command> store, Duration timeout, int maxBatch) {
    return Behaviors.setup(ctx -> new StoreWriter(ctx, store, timeout, maxBatch));
  }

  private StoreWriter(ActorContext<Command> ctx, ActorRef<ObjectStore.Command> store, Duration timeout, int maxBatch) {
    super(ctx);
    this.store = store;
    this.timeout = timeout;
    this.maxBatch = maxBatch;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Write.class, this::onWrite)
        .onMessage(BatchDone.class, this::onBatchDone)
        .build();
  }

  private Behavior<Command> onWrite(Write w) {
    pending.add(w);
    if (!inFlight) sendBatch();
    return this;
  }

  private void sendBatch() {
    List<Write> batch = new ArrayList<>(pending.subList(0, Math.min(maxBatch, pending.size())));
    pending.subList(0, batch.size()).clear();
    inFlight = true;
    List<Mutation> mutations = batch.stream().map(Write::mutation).toList();
    long sent = System.nanoTime();
    // an ask, its answer handed to this actor's dispatcher (not a new thread: see Continuations)
    getContext().pipeToSelf(Continuations.on(getContext().getExecutionContext(),
            AskPattern.<ObjectStore.Command, ObjectStore.BatchApplied>ask(store,
                replyTo -> new ObjectStore.ApplyBatch(mutations, replyTo), timeout, getContext().getSystem().scheduler())),
        (applied, failure) -> new BatchDone(batch, applied, failure, sent));
  }

  private Behavior<Command> onBatchDone(BatchDone done) {
    StoreMetrics.batch(done.writes().size(), done.sentNanos(), done.failure() != null);
    for (int i = 0; i < done.writes().size(); i++) {
      WriteResult result = done.applied() != null
          ? done.applied().results().get(i)
          : new Rejected(Failure.UNAVAILABLE, null);
      done.writes().get(i).replyTo().tell(result);
    }
    if (done.failure() != null) {
      getContext().getLog().warn("store batch of {} writes failed: {}", done.writes().size(), done.failure().toString());
    }
    inFlight = false;
    if (!pending.isEmpty()) sendBatch();
    return this;
  }
}
