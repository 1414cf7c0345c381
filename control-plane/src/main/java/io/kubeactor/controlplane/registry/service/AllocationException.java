package io.kubeactor.controlplane.registry.service;

/** Why a value could not be allocated, worded as upstream's ipallocator and portallocator errors. */
public final class AllocationException extends Exception {

  public enum Reason { FULL, ALLOCATED, NOT_IN_RANGE }

  private final Reason reason;

  AllocationException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  static AllocationException full() {
    return new AllocationException(Reason.FULL, "range is full");
  }
}
