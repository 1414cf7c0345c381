package io.kubeactor.common;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Where the continuations of Pekko's futures run. A CompletionStage that Pekko makes from a Scala
 * future (an ask's answer, an entity's {@code toStrict}) runs every continuation asynchronously on
 * the JDK's default executor, so that none holds up the actor that completed it; with one worker in
 * the common pool (a machine of two cores) that executor starts a new thread for each continuation:
 * several threads per API request. Handed to an executor of the actor system instead, they run on
 * its threads.
 */
public final class Continuations {
  private Continuations() {}

  /** The same outcome, its continuations run on the executor (without blocking the completing thread). */
  public static <T> CompletableFuture<T> on(Executor executor, CompletionStage<T> stage) {
    return stage.thenApplyAsync(Function.identity(), executor).toCompletableFuture();
  }
}
