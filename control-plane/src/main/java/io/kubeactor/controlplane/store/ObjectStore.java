package io.kubeactor.controlplane.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.CborSerializable;
import io.kubeactor.controlplane.store.StoreEvent.ObjectAdded;
import io.kubeactor.controlplane.store.StoreEvent.ObjectDeleted;
import io.kubeactor.controlplane.store.StoreEvent.ObjectModified;
import io.kubeactor.controlplane.store.WriteResult.Failure;
import io.kubeactor.controlplane.store.WriteResult.Rejected;
import io.kubeactor.controlplane.store.WriteResult.Written;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.EventAdapter;
import org.apache.pekko.persistence.typed.EventSeq;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The only writer of cluster state, playing etcd's part: an event-sourced actor whose journal holds
 * every change as a whole object (its JSON bytes, {@link StoredObject}). Writes arrive in batches (see {@link StoreWriter}); each batch is
 * persisted as one atomic write, published to the {@link WatchCache}, and only then acknowledged.
 */
public final class ObjectStore
    extends EventSourcedBehaviorWithEnforcedReplies<ObjectStore.Command, StoreEvent, StoreState> {

  public static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("kubeactor-store");

  public sealed interface Command extends CborSerializable {}

  /** Apply the mutations in order; a rejected one does not stop the others. */
  public record ApplyBatch(List<Mutation> mutations, ActorRef<BatchApplied> replyTo) implements Command {}

  /** One result per mutation, in the same order. */
  public record BatchApplied(List<WriteResult> results) implements CborSerializable {}

  /**
   * Checkpoint the state now if recovery would otherwise replay many events, as the control plane
   * stops: the next start then reads one snapshot instead of up to a snapshot interval of events, which
   * take it several times as long (4,000 events: 0.7 s of a 4 s start with PostgreSQL). {@code replyTo}
   * hears once that snapshot is saved or failed, or at once when none is due.
   */
  public record CheckpointNow(ActorRef<Done> replyTo) implements Command {}

  private final ActorContext<Command> context;
  private final WatchCache cache;
  private final ActorRef<Checkpointer.Command> checkpointer;
  private final int snapshotEvery;
  private final AtRest atRest;
  /** The sequence number of the last state checkpointed (or recovered from a snapshot). */
  private long checkpointedAt;
  /** Events replayed by recovery, which checkpointedAt is counted back by once it completes. */
  private long replayed;
  /** Set when recovery sealed a stale value anew (key rotation): the recovered state is then checkpointed at once. */
  private boolean resealedOnRecovery;

  /** A store that keeps every object as its JSON (nothing encrypted at rest). */
  public static Behavior<Command> create(WatchCache cache, ActorRef<Checkpointer.Command> checkpointer, int snapshotEvery) {
    return create(cache, checkpointer, snapshotEvery, AtRest.PLAIN);
  }

  /** A store that seals the objects {@code atRest} names (the EncryptionConfiguration's resources). */
  public static Behavior<Command> create(WatchCache cache, ActorRef<Checkpointer.Command> checkpointer, int snapshotEvery,
      AtRest atRest) {
    return Behaviors.<Command>supervise(Behaviors.setup(ctx -> new ObjectStore(ctx, cache, checkpointer, snapshotEvery, atRest)))
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
  }

  private ObjectStore(ActorContext<Command> context, WatchCache cache, ActorRef<Checkpointer.Command> checkpointer,
      int snapshotEvery, AtRest atRest) {
    super(PERSISTENCE_ID);
    this.context = context;
    this.cache = cache;
    this.checkpointer = checkpointer;
    this.snapshotEvery = snapshotEvery;
    this.atRest = atRest;
  }

  @Override
  public StoreState emptyState() {
    return StoreState.EMPTY;
  }

  @Override
  public CommandHandlerWithReply<Command, StoreEvent, StoreState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(ApplyBatch.class, this::onApplyBatch)
        .onCommand(CheckpointNow.class, this::onCheckpointNow)
        .build();
  }

  private ReplyEffect<StoreEvent, StoreState> onApplyBatch(StoreState state, ApplyBatch batch) {
    List<StoreEvent> events = new ArrayList<>();
    List<WriteResult> results = new ArrayList<>();
    StoreState working = state;
    for (Mutation m : batch.mutations()) {
      WriteResult rejection = check(working, m);
      if (rejection != null) {
        results.add(rejection);
        continue;
      }
      long rv = working.resourceVersion() + 1;
      ObjectNode object = m instanceof Mutation.Create c ? c.object()
          : m instanceof Mutation.Update u ? u.object() : working.get(m.key());
      StoredObject stored = atRest.store(m.key(), stamp(object, rv));
      StoreEvent event = m instanceof Mutation.Create ? new ObjectAdded(m.key(), rv, stored)
          : m instanceof Mutation.Update ? new ObjectModified(m.key(), rv, stored)
          : new ObjectDeleted(m.key(), rv, stored);
      working = working.apply(event);
      events.add(event);
      results.add(new Written(object));
    }
    BatchApplied reply = new BatchApplied(results);
    if (events.isEmpty()) return Effect().none().thenReply(batch.replyTo(), s -> reply);
    return Effect()
        .persist(events)
        .thenRun(s -> {
          cache.publish(s, events);
          checkpointIfDue(s, events.size());
        })
        .thenReply(batch.replyTo(), s -> reply);
  }

  /** The reason a mutation cannot apply to the state, or null if it can. */
  private static WriteResult check(StoreState state, Mutation m) {
    StoredObject current = state.stored(m.key());
    if (m instanceof Mutation.Create) {
      return current != null ? new Rejected(Failure.ALREADY_EXISTS, current.tree()) : null;
    }
    if (current == null) return new Rejected(Failure.NOT_FOUND, null);
    long expectedRv = m instanceof Mutation.Update u ? u.expectedResourceVersion() : ((Mutation.Delete) m).expectedResourceVersion();
    String expectedUid = m instanceof Mutation.Delete d ? d.expectedUid() : null;
    boolean stale = (expectedRv != 0 && expectedRv != current.resourceVersion())
        || (expectedUid != null && !expectedUid.equals(current.tree().path("metadata").path("uid").asText()));
    return stale ? new Rejected(Failure.CONFLICT, current.tree()) : null;
  }

  public static long resourceVersionOf(ObjectNode object) {
    String rv = object.path("metadata").path("resourceVersion").asText("");
    try {
      return rv.isEmpty() ? 0 : Long.parseLong(rv);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The store owns objects handed to it: it sets their resourceVersion and never changes them again. */
  private static ObjectNode stamp(ObjectNode object, long rv) {
    object.withObjectProperty("metadata").put("resourceVersion", Long.toString(rv));
    return object;
  }

  @Override
  public EventHandler<StoreState, StoreEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(StoreState::apply);
  }

  @Override
  public SignalHandler<StoreState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::onRecoveryCompleted)
        .build();
  }

  private void onRecoveryCompleted(StoreState state) {
    checkpointedAt = lastSequenceNumber(context) - replayed;
    cache.reset(state);
    // recovery reads the latest snapshot and the events after it, so once this snapshot is saved the
    // values sealed with an older key (or unencrypted) are no longer read and that key may go; the
    // snapshots and events before it go at once too, rather than stay as a way back
    if (resealedOnRecovery) {
      context.getLog().info("stored values written with an older key or unencrypted are sealed with the current key; "
          + "writing a snapshot of them now");
      checkpointer.tell(new Checkpointer.Checkpoint(state, lastSequenceNumber(context), true));
      resealedOnRecovery = false;
    }
  }

  /** Sealed objects are opened as they are recovered, from the snapshot and from the events after it. */
  @Override
  public SnapshotAdapter<StoreState> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(StoreState state) {
        return state;
      }

      @Override
      public StoreState fromJournal(Object from) {
        StoreState state = (StoreState) from;
        StoreState opened = state;
        for (var entry : state.objects().entrySet()) {
          StoredObject o = open(entry.getKey(), entry.getValue());
          if (o != entry.getValue()) opened = opened.with(entry.getKey(), o);
        }
        return opened;
      }
    };
  }

  @Override
  public EventAdapter<StoreEvent, StoreEvent> eventAdapter() {
    return new EventAdapter<>() {
      @Override
      public StoreEvent toJournal(StoreEvent event) {
        return event;
      }

      @Override
      public String manifest(StoreEvent event) {
        return "";
      }

      @Override
      public EventSeq<StoreEvent> fromJournal(StoreEvent event, String manifest) {
        replayed++;
        StoredObject o = open(event.key(), event.object());
        return EventSeq.single(o == event.object() ? event : event.with(o));
      }
    };
  }

  private StoredObject open(String key, StoredObject read) {
    try {
      AtRest.Opened opened = atRest.open(key, read);
      resealedOnRecovery |= opened.resealed();
      return opened.object();
    } catch (UnreadableAtRestException e) {
      // a snapshot adapter's failure is no RecoveryFailed signal: the control plane waiting to start learns it here
      cache.recoveryFailed(e);
      throw e;
    }
  }

  /** Every snapshotEvery events, the state goes to the {@link Checkpointer}; writes do not wait for it. */
  private void checkpointIfDue(StoreState state, int persisted) {
    long seq = lastSequenceNumber(context);
    if (seq / snapshotEvery > (seq - persisted) / snapshotEvery) {
      checkpointedAt = seq;
      checkpointer.tell(new Checkpointer.Checkpoint(state, seq));
    }
  }

  /** A tenth of an interval replays in well under 0.1 s; fewer events are not worth a snapshot. */
  private ReplyEffect<StoreEvent, StoreState> onCheckpointNow(StoreState state, CheckpointNow c) {
    long seq = lastSequenceNumber(context);
    if (seq - checkpointedAt < Math.max(1, snapshotEvery / 10)) return Effect().reply(c.replyTo(), Done.getInstance());
    checkpointedAt = seq;
    checkpointer.tell(new Checkpointer.Checkpoint(state, seq, false, c.replyTo()));
    return Effect().noReply();
  }
}
