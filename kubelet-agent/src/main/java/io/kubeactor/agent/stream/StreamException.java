package io.kubeactor.agent.stream;

/**
 * A request the agent cannot serve, answered as kubelet answers it: a status code and a plain-text
 * message, which the API server passes on (as a Status for logs, as-is for exec and attach).
 */
public final class StreamException extends RuntimeException {
  public final int status;

  public StreamException(int status, String message) {
    super(message);
    this.status = status;
  }

  static StreamException badRequest(String message) {
    return new StreamException(400, message);
  }

  static StreamException notFound(String message) {
    return new StreamException(404, message);
  }
}
