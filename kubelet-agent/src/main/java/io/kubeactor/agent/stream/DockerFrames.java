package io.kubeactor.agent.stream;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;

/**
 * A docker-java streaming call (logs, exec, attach) as a Pekko {@link Source}. docker-java reads each
 * stream on a thread of its own and hands every frame to a callback; the callback waits until the
 * stream has room, so a slow client slows the read from Docker's socket instead of filling memory.
 * When the stream is cancelled (the client went away) the Docker call is closed.
 */
final class DockerFrames<T> extends ResultCallback.Adapter<Frame> {

  private static final int BUFFER = 16;

  private final SourceQueueWithComplete<T> queue;
  private final Function<Frame, T> onFrame;
  private final Function<Throwable, List<T>> onEnd;
  private final AtomicBoolean finished = new AtomicBoolean();

  private DockerFrames(SourceQueueWithComplete<T> queue, Function<Frame, T> onFrame, Function<Throwable, List<T>> onEnd) {
    this.queue = queue;
    this.onFrame = onFrame;
    this.onEnd = onEnd;
  }

  /**
   * The elements of a Docker stream. The call is started by {@code start} when the source runs;
   * {@code onFrame} maps each frame (null skips it); {@code onEnd} gives the last elements once Docker
   * ended the stream, with the failure if it failed (no elements: the source fails with it).
   */
  static <T> Source<T, NotUsed> source(Consumer<ResultCallback<Frame>> start, Function<Frame, T> onFrame,
      Function<Throwable, List<T>> onEnd) {
    return Source.<T>queue(BUFFER, OverflowStrategy.backpressure()).mapMaterializedValue(queue -> {
      DockerFrames<T> callback = new DockerFrames<>(queue, onFrame, onEnd);
      queue.watchCompletion().whenComplete((done, failure) -> callback.closeQuietly());
      try {
        start.accept(callback);
      } catch (RuntimeException e) {
        queue.fail(e);
      }
      return NotUsed.getInstance();
    });
  }

  @Override
  public void onNext(Frame frame) {
    if (finished.get()) return;
    T element = onFrame.apply(frame);
    if (element != null && !offer(element)) closeQuietly();
  }

  @Override
  public void onError(Throwable failure) {
    finish(failure);
  }

  @Override
  public void onComplete() {
    finish(null);
  }

  private void finish(Throwable failure) {
    // after the client went away docker-java may still report the closed stream: nothing to send then
    if (!finished.compareAndSet(false, true)) return;
    List<T> last;
    try {
      last = onEnd.apply(failure);
    } catch (RuntimeException e) {
      queue.fail(e);
      closeQuietly();
      return;
    }
    if (failure != null && last.isEmpty()) {
      queue.fail(failure);
    } else {
      for (T element : last) {
        if (!offer(element)) break;
      }
      queue.complete();
    }
    closeQuietly();
  }

  /** Waits (on docker-java's own thread) until the stream takes the element; false once it is gone. */
  private boolean offer(T element) {
    try {
      return queue.offer(element).toCompletableFuture().join() == QueueOfferResult.enqueued();
    } catch (CompletionException | IllegalStateException streamGone) {
      return false;
    }
  }

  private void closeQuietly() {
    finished.set(true);
    try {
      close();
    } catch (IOException | RuntimeException ignored) {
      // already closed
    }
  }
}
