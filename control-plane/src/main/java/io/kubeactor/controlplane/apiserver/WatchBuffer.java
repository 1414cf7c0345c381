package io.kubeactor.controlplane.apiserver;

import io.kubeactor.controlplane.store.WatchCache;
import io.kubeactor.controlplane.store.WatchCache.Change;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watcher's bounded buffer between the watch cache and its response, as kube-apiserver's
 * cacheWatcher's input channel. The cache offers changes without ever waiting: a full buffer refuses
 * them and the watcher falls behind, its missed changes staying in the cache's shared window until
 * it has room again. A watcher whose buffer stays full while its client takes nothing for the stall
 * timeout is closed, as kube-apiserver's cacher closes an unresponsive watcher: its response ends
 * cleanly, the changes it still held are dropped, and the client resumes from the last
 * resourceVersion it saw (or re-lists on 410 Gone). So a stalled client holds at most this buffer,
 * however many there are, and never slows the writers or the other watchers.
 */
public final class WatchBuffer implements WatchCache.Sink {

  private static final Logger log = LoggerFactory.getLogger(WatchBuffer.class);

  /** maxEvents: changes one watcher holds at most; stallTimeout: how long a full one may take nothing. */
  public record Limits(int maxEvents, Duration stallTimeout) {
    public Limits {
      if (maxEvents < 1) throw new IllegalArgumentException("a watch buffer holds at least one event");
    }
  }

  /** How a watch ended, if it has. */
  public enum Ending {
    OPEN,
    /** Its client took nothing for the stall timeout while its buffer was full. */
    STALLED,
    /** The changes it still had to receive left the cache's window. */
    EXPIRED,
    /** Its client went away, or its timeout ended it. */
    CLOSED
  }

  private final Limits limits;
  private final String description;
  private final ArrayDeque<Change> queue = new ArrayDeque<>();
  private boolean refused;
  private Runnable wake;
  private int peakEvents;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong bytesOut = new AtomicLong();
  private volatile Ending ending = Ending.OPEN;

  /** description: what is watched, for the log line when the watch is closed. */
  public WatchBuffer(Limits limits, String description) {
    this.limits = limits;
    this.description = description;
  }

  @Override
  public synchronized boolean offer(Change change) {
    if (ending != Ending.OPEN) return true; // ended: the cache forgets it as its stream stops
    if (queue.size() >= limits.maxEvents()) {
      // the stage learns of a refusal to start its stall timer
      if (!refused && wake != null) wake.run();
      refused = true;
      return false;
    }
    queue.addLast(change);
    peakEvents = Math.max(peakEvents, queue.size());
    // the stage only waits for a change when it found the buffer empty
    if (queue.size() == 1 && wake != null) wake.run();
    return true;
  }

  /** Changes waiting in the buffer now. */
  public synchronized int bufferedEvents() {
    return queue.size();
  }

  /** The most changes the buffer has held at once. */
  public synchronized int peakBufferedEvents() {
    return peakEvents;
  }

  /** Events handed to the response so far, the initial ones included. */
  public long deliveredEvents() {
    return delivered.get();
  }

  /** Bytes of events handed to the response so far. */
  public long deliveredBytes() {
    return bytesOut.get();
  }

  /** Counts the serialized size of an event handed to the response. */
  void sent(long bytes) {
    bytesOut.addAndGet(bytes);
  }

  public Limits limits() {
    return limits;
  }

  public Ending ending() {
    return ending;
  }

  private synchronized Change poll() {
    return queue.pollFirst();
  }

  private synchronized boolean refusedAndDrained() {
    return refused && queue.size() <= limits.maxEvents() / 2;
  }

  private synchronized boolean isRefused() {
    return refused;
  }

  private synchronized void clearRefused() {
    refused = false;
  }

  private synchronized void attach(Runnable wake) {
    this.wake = wake;
  }

  private synchronized void end(Ending how) {
    if (ending == Ending.OPEN) ending = how;
    wake = null;
    queue.clear();
  }

  /**
   * The watch's events: the initial ones (the current objects), then the buffer's. The buffer is
   * subscribed to the cache already; this source resumes it and closes it when it stalls.
   */
  public Source<Change, NotUsed> source(List<Change> initial, WatchCache.Subscription subscription) {
    return Source.fromGraph(new Stage(initial, subscription));
  }

  private final class Stage extends GraphStage<SourceShape<Change>> {
    private final Outlet<Change> out = Outlet.create("WatchBuffer.out");
    private final SourceShape<Change> shape = SourceShape.of(out);
    private final List<Change> initial;
    private final WatchCache.Subscription subscription;

    Stage(List<Change> initial, WatchCache.Subscription subscription) {
      this.initial = initial;
      this.subscription = subscription;
    }

    @Override
    public SourceShape<Change> shape() {
      return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
      return new TimerGraphStageLogic(shape) {
        private final Iterator<Change> first = initial.iterator();
        private long lastTaken = System.nanoTime();
        private boolean stallTimerSet;

        {
          setHandler(out, new AbstractOutHandler() {
            @Override
            public void onPull() {
              deliver();
            }

            @Override
            public void onDownstreamFinish(Throwable cause) {
              end(Ending.CLOSED);
              completeStage();
            }
          });
        }

        @Override
        public void preStart() {
          AsyncCallback<NotUsed> changed = createAsyncCallback(n -> onChanged());
          attach(() -> changed.invoke(NotUsed.getInstance()));
          onChanged();
        }

        @Override
        public void postStop() {
          end(Ending.CLOSED);
          subscription.close();
        }

        private void onChanged() {
          if (isAvailable(out)) deliver();
          if (!stallTimerSet && isRefused()) {
            stallTimerSet = true;
            scheduleOnce("stall", limits.stallTimeout());
          }
        }

        private void deliver() {
          Change next = first.hasNext() ? first.next() : poll();
          if (next == null) return;
          lastTaken = System.nanoTime();
          delivered.incrementAndGet();
          push(out, next);
          if (refusedAndDrained()) {
            clearRefused();
            // the missed changes come from the cache's window, in order, as far as there is room
            if (!subscription.resume()) close(Ending.EXPIRED, "the changes it had yet to receive left the watch cache's window");
          }
        }

        @Override
        public void onTimer(Object key) {
          stallTimerSet = false;
          if (!isRefused()) return;
          Duration idle = Duration.ofNanos(System.nanoTime() - lastTaken);
          if (idle.compareTo(limits.stallTimeout()) >= 0) {
            close(Ending.STALLED, "its client took no event for " + idle.toMillis() + " ms while its buffer was full");
          } else {
            stallTimerSet = true;
            scheduleOnce("stall", limits.stallTimeout().minus(idle));
          }
        }

        private void close(Ending how, String why) {
          int held = bufferedEvents();
          end(how);
          // as kube-apiserver's "Forcing watcher close due to unresponsiveness": one line, and the client re-watches
          log.info("closed the watch of {}: {}; dropped {} buffered events, the client resumes from its last resourceVersion",
              description, why, held);
          completeStage();
        }
      };
    }
  }
}
