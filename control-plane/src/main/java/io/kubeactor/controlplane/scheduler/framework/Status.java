package io.kubeactor.controlplane.scheduler.framework;

import java.util.List;

/**
 * What a plugin says about a pod (and a node): fine, cannot be placed (with the reasons that make
 * up the FailedScheduling histogram), or nothing to do for this pod (upstream framework.Status).
 */
public record Status(Code code, List<String> reasons) {

  public enum Code { SUCCESS, UNSCHEDULABLE, SKIP }

  public static final Status SUCCESS = new Status(Code.SUCCESS, List.of());
  public static final Status SKIP = new Status(Code.SKIP, List.of());

  public Status {
    reasons = List.copyOf(reasons);
  }

  public static Status unschedulable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE, List.of(reasons));
  }

  public static Status unschedulable(List<String> reasons) {
    return new Status(Code.UNSCHEDULABLE, reasons);
  }

  public boolean isSuccess() {
    return code == Code.SUCCESS;
  }

  public boolean isSkip() {
    return code == Code.SKIP;
  }

  /** The reasons joined as upstream's Status.Message() joins them. */
  public String message() {
    return String.join(", ", reasons);
  }
}
