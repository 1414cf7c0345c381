package io.kubeactor.controlplane.api.scheduling;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Whether tolerations tolerate taints (core/v1 Toleration.ToleratesTaint and its helpers), for the
 * scheduler and the DaemonSet controller.
 */
public final class Tolerations {
  private Tolerations() {}

  /**
   * An empty effect or key in the toleration matches any; operator Exists matches any value, Equal
   * (the default) only the same value.
   */
  public static boolean tolerates(Toleration toleration, Taint taint) {
    String effect = text(toleration.getEffect());
    if (!effect.isEmpty() && !effect.equals(text(taint.getEffect()))) return false;
    String key = text(toleration.getKey());
    if (!key.isEmpty() && !key.equals(text(taint.getKey()))) return false;
    return switch (text(toleration.getOperator())) {
      case "", "Equal" -> text(toleration.getValue()).equals(text(taint.getValue()));
      case "Exists" -> true;
      default -> false;
    };
  }

  public static boolean anyTolerates(List<Toleration> tolerations, Taint taint) {
    return tolerations != null && tolerations.stream().anyMatch(t -> tolerates(t, taint));
  }

  /** The first of the taints that the filter selects and no toleration tolerates. */
  public static Optional<Taint> firstUntolerated(List<Taint> taints, List<Toleration> tolerations, Predicate<Taint> filter) {
    if (taints == null) return Optional.empty();
    return taints.stream().filter(filter).filter(t -> !anyTolerates(tolerations, t)).findFirst();
  }

  /** A string field as Go reads it: absent is empty. */
  public static String text(String s) {
    return s == null ? "" : s;
  }
}
