package io.kubeactor.common.cluster;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Terminating an actor system, with a deadline. Pekko 1.x waits without one for its remoting
 * streams to complete before it reports a system terminated (apache/pekko#3247, bounded only in
 * Pekko 2.0), and a stream over a TLS connection that failed or lost its peer may never complete:
 * seen in CI as a cluster member that never terminated. By then its actors have stopped; the caller
 * logs it and goes on rather than wait forever or fail.
 */
public final class ActorSystemTermination {
  private static final Logger LOG = LoggerFactory.getLogger(ActorSystemTermination.class);

  private ActorSystemTermination() {}

  /** Terminates the system and waits for it; false (and a warning) if it has not terminated in time. */
  public static boolean terminate(ActorSystem<?> system, Duration timeout) {
    system.terminate();
    return await(system, timeout);
  }

  /** Waits for a system whose termination has begun; false (and a warning) if it has not ended in time. */
  public static boolean await(ActorSystem<?> system, Duration timeout) {
    try {
      system.getWhenTerminated().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      LOG.warn("the actor system {} did not terminate within {} s (its remoting had not stopped); going on without it",
          system.address(), timeout.toSeconds());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      // termination ends the system even when a phase failed
      return true;
    }
  }
}
