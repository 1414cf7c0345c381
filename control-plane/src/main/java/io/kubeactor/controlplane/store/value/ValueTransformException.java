package io.kubeactor.controlplane.store.value;

/**
 * A stored value that cannot be read back, with upstream's wording for why (e.g. "no matching prefix
 * found", "cipher: message authentication failed").
 */
public final class ValueTransformException extends RuntimeException {

  private final boolean authenticationFailed;

  ValueTransformException(String message, boolean authenticationFailed) {
    super(message);
    this.authenticationFailed = authenticationFailed;
  }

  public ValueTransformException(String message) {
    this(message, false);
  }

  /** True when a key with the value's name was found but did not open it (another key's secret, or changed bytes). */
  public boolean authenticationFailed() {
    return authenticationFailed;
  }
}
