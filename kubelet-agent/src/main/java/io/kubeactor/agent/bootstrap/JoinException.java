package io.kubeactor.agent.bootstrap;

/** Why a node could not get its certificate, in one line; {@link #unreachable()} when the API server did not answer. */
public final class JoinException extends Exception {
  private final boolean unreachable;

  JoinException(String message) {
    this(message, false);
  }

  JoinException(String message, boolean unreachable) {
    super(message);
    this.unreachable = unreachable;
  }

  /** The API server could not be reached (it may not be up yet): worth trying again. */
  public boolean unreachable() {
    return unreachable;
  }
}
