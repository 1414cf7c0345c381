package io.kubeactor.controlplane.controller.endpointslice;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.kubeactor.controlplane.controller.Pods;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The value of the {@code endpoints.kubernetes.io/last-change-trigger-time} annotation
 * (k8s.io/endpointslice/util TriggerTimeTracker): the earliest of the changes seen since a
 * Service's last sync — a pod's Ready transition, the Service's creation — or, for a Service seen
 * for the first time, its creation. Null when nothing changed (the annotation is then removed).
 * One sync per Service at a time, as the work queue guarantees.
 */
public final class TriggerTimeTracker {

  private record State(Instant serviceTrigger, Map<String, Instant> podTriggers) {}

  private final Map<String, State> states = new ConcurrentHashMap<>();

  /** Updates the Service's state from this sync's pods and returns the trigger time, or null. */
  public Instant compute(String key, Service service, List<Pod> pods) {
    State state = states.get(key);
    Instant min = null;
    Map<String, Instant> podTriggers = new HashMap<>();
    for (Pod pod : pods) {
      Instant t = podTrigger(pod);
      if (t == null) continue;
      podTriggers.put(pod.getMetadata().getName(), t);
      Instant last = state == null ? null : state.podTriggers().get(pod.getMetadata().getName());
      if (last == null || t.isAfter(last)) min = earliest(min, t);
    }
    Instant serviceTrigger = parse(service.getMetadata().getCreationTimestamp());
    if (serviceTrigger != null && (state == null || state.serviceTrigger() == null || serviceTrigger.isAfter(state.serviceTrigger()))) {
      min = earliest(min, serviceTrigger);
    }
    states.put(key, new State(serviceTrigger, podTriggers));
    return state == null ? serviceTrigger : min;
  }

  public void forget(String key) {
    states.remove(key);
  }

  /** Go's RFC3339Nano in UTC: fractional seconds without trailing zeros. */
  public static String format(Instant t) {
    String seconds = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(t);
    if (t.getNano() == 0) return seconds + "Z";
    String fraction = String.format("%09d", t.getNano()).replaceFirst("0+$", "");
    return seconds + "." + fraction + "Z";
  }

  private static Instant podTrigger(Pod pod) {
    return Pods.condition(pod, "Ready").map(PodCondition::getLastTransitionTime).map(TriggerTimeTracker::parse).orElse(null);
  }

  private static Instant parse(String time) {
    if (time == null || time.isEmpty()) return null;
    try {
      return Instant.parse(time);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Instant earliest(Instant current, Instant candidate) {
    return current == null || candidate.isBefore(current) ? candidate : current;
  }
}
