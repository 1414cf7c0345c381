package io.kubeactor.controlplane.scheduler;

import java.util.List;

/**
 * What a plugin says about a pod (and a node): fine, cannot be placed (with the reasons that make
 * up the FailedScheduling histogram), or nothing to do for this pod (upstream framework.Status).
 */
record Status(Code code, List<String> reasons) {

  enum Code { SUCCESS, UNSCHEDULABLE, SKIP }

  static final Status SUCCESS = new Status(Code.SUCCESS, List.of());
  static final Status SKIP = new Status(Code.SKIP, List.of());

  Status {
    reasons = List.copyOf(reasons);
  }

  static Status unschedulable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE, List.of(reasons));
  }

  static Status unschedulable(List<String> reasons) {
    return new Status(Code.UNSCHEDULABLE, reasons);
  }

  boolean isSuccess() {
    return code == Code.SUCCESS;
  }

  boolean isSkip() {
    return code == Code.SKIP;
  }

  /** The reasons joined as upstream's Status.Message() joins them. */
  String message() {
    return String.join(", ", reasons);
  }
}
