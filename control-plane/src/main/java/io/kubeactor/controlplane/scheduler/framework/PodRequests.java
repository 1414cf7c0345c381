package io.kubeactor.controlplane.scheduler.framework;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a pod requests (component-helpers resource.PodRequests): the sum over its containers, or the
 * largest init container if that is more (restartable "sidecar" init containers run alongside and
 * add up), plus the pod overhead. Quantities are summed exactly and rounded once at the end.
 */
public final class PodRequests {
  private PodRequests() {}

  /** What the scoring plugins assume for a container that requests no cpu (schedutil.DefaultMilliCPURequest). */
  public static final BigDecimal DEFAULT_CPU = new BigDecimal("0.1");
  /** ... and no memory (schedutil.DefaultMemoryRequest, 200Mi). */
  public static final BigDecimal DEFAULT_MEMORY = BigDecimal.valueOf(200L * 1024 * 1024);

  /** The pod's requests, as the NodeResourcesFit filter counts them. */
  public static Resources of(Pod pod) {
    return Resources.fromValues(aggregate(pod, false));
  }

  /**
   * The pod's requests with a default for each container's missing cpu or memory request, as the
   * least-allocated score counts them, so that pods without requests still spread.
   */
  public static Resources nonZero(Pod pod) {
    return Resources.fromValues(aggregate(pod, true));
  }

  private static Map<String, BigDecimal> aggregate(Pod pod, boolean nonZero) {
    PodSpec spec = pod.getSpec();
    Map<String, BigDecimal> total = new TreeMap<>();
    if (spec == null) return total;
    for (Container container : nullSafe(spec.getContainers())) {
      add(total, containerRequests(container, nonZero));
    }
    Map<String, BigDecimal> sidecars = new TreeMap<>();
    Map<String, BigDecimal> initPeak = new TreeMap<>();
    for (Container init : nullSafe(spec.getInitContainers())) {
      Map<String, BigDecimal> requests = containerRequests(init, nonZero);
      if ("Always".equals(init.getRestartPolicy())) {
        // A sidecar keeps running: it adds to the pod and to every init container started after it.
        add(total, requests);
        add(sidecars, requests);
        requests = new TreeMap<>(sidecars);
      } else {
        add(requests, sidecars);
      }
      max(initPeak, requests);
    }
    max(total, initPeak);
    if (spec.getOverhead() != null) add(total, values(spec.getOverhead()));
    return total;
  }

  /** A container's requests; a resource with a limit but no request requests its limit, as defaulting sets it. */
  private static Map<String, BigDecimal> containerRequests(Container container, boolean nonZero) {
    Map<String, BigDecimal> requests = new TreeMap<>();
    ResourceRequirements resources = container.getResources();
    if (resources != null) {
      if (resources.getLimits() != null) requests.putAll(values(resources.getLimits()));
      if (resources.getRequests() != null) requests.putAll(values(resources.getRequests()));
    }
    if (nonZero) {
      requests.putIfAbsent("cpu", DEFAULT_CPU);
      requests.putIfAbsent("memory", DEFAULT_MEMORY);
    }
    return requests;
  }

  private static Map<String, BigDecimal> values(Map<String, Quantity> list) {
    Map<String, BigDecimal> values = new TreeMap<>();
    list.forEach((name, quantity) -> values.put(name, Resources.value(quantity)));
    return values;
  }

  private static void add(Map<String, BigDecimal> into, Map<String, BigDecimal> other) {
    other.forEach((name, value) -> into.merge(name, value, BigDecimal::add));
  }

  private static void max(Map<String, BigDecimal> into, Map<String, BigDecimal> other) {
    other.forEach((name, value) -> into.merge(name, value, BigDecimal::max));
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
