package io.kubeactor.agent.stream.spdy;

/** Bytes that are not SPDY/3.1 a session can go on with: the session ends. */
public final class SpdyProtocolError extends Exception {
  public SpdyProtocolError(String message) {
    super(message);
  }
}
