package io.kubeactor.controlplane.store;

/**
 * A stored object the configured keys cannot read (its key is gone, another key has its name, or
 * the bytes were changed). The store does not start on it: serving without the object would lose
 * it at the next snapshot. The keys are configuration the user fixes, so this is an
 * IllegalArgumentException, whose message the control plane's launcher shows as the one line.
 */
public final class UnreadableAtRestException extends IllegalArgumentException {
  UnreadableAtRestException(String message, Throwable cause) {
    super(message, cause);
  }
}
