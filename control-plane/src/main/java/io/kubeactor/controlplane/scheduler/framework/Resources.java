package io.kubeactor.controlplane.scheduler.framework;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kubeactor.common.Quantities;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Amounts of compute resources in the units the scheduler counts in (upstream framework.Resource):
 * milli-CPU, bytes of memory and ephemeral storage, a number of pods (only for a node's
 * allocatable), and scalar resources (extended resources such as {@code example.com/gpu},
 * hugepages-*) by name. Fractions round up, as resource.Quantity's MilliValue and Value do.
 */
public record Resources(long milliCpu, long memory, long ephemeralStorage, long pods, Map<String, Long> scalar) {

  public static final Resources NONE = new Resources(0, 0, 0, 0, Map.of());

  public Resources {
    scalar = Map.copyOf(scalar);
  }

  /** A resource list (a node's allocatable, a container's requests); unparsable quantities count as 0. */
  public static Resources of(Map<String, Quantity> list) {
    Map<String, BigDecimal> values = new TreeMap<>();
    if (list != null) list.forEach((name, quantity) -> values.put(name, value(quantity)));
    return fromValues(values);
  }

  /** The amount of one scalar resource, 0 if absent. */
  public long scalar(String name) {
    return scalar.getOrDefault(name, 0L);
  }

  public Resources plus(Resources other) {
    Map<String, Long> sum = new TreeMap<>(scalar);
    other.scalar.forEach((name, amount) -> sum.merge(name, amount, Long::sum));
    return new Resources(milliCpu + other.milliCpu, memory + other.memory,
        ephemeralStorage + other.ephemeralStorage, pods + other.pods, sum);
  }

  public static Resources fromValues(Map<String, BigDecimal> values) {
    long milliCpu = 0, memory = 0, ephemeralStorage = 0, pods = 0;
    Map<String, Long> scalar = new TreeMap<>();
    for (Map.Entry<String, BigDecimal> e : values.entrySet()) {
      switch (e.getKey()) {
        case "cpu" -> milliCpu = roundUp(e.getValue().movePointRight(3));
        case "memory" -> memory = roundUp(e.getValue());
        case "ephemeral-storage" -> ephemeralStorage = roundUp(e.getValue());
        case "pods" -> pods = roundUp(e.getValue());
        default -> {
          if (isScalar(e.getKey())) scalar.put(e.getKey(), roundUp(e.getValue()));
        }
      }
    }
    return new Resources(milliCpu, memory, ephemeralStorage, pods, scalar);
  }

  /** A quantity's exact value; 0 when missing or unparsable (validation keeps those out). */
  public static BigDecimal value(Quantity quantity) {
    if (quantity == null) return BigDecimal.ZERO;
    String text = (quantity.getAmount() == null ? "" : quantity.getAmount())
        + (quantity.getFormat() == null ? "" : quantity.getFormat());
    return Quantities.value(text).orElse(BigDecimal.ZERO);
  }

  /**
   * Resources counted besides cpu, memory, ephemeral-storage and pods (schedutil.IsScalarResourceName):
   * extended resources (domain-prefixed names), hugepages-*, attachable-volumes-* and the prefixed
   * native ones (*kubernetes.io/*).
   */
  public static boolean isScalar(String name) {
    if (name.startsWith("hugepages-") || name.startsWith("attachable-volumes-")) return true;
    if (name.contains("kubernetes.io/")) return true;
    return name.contains("/") && !name.startsWith("requests.");
  }

  private static long roundUp(BigDecimal value) {
    BigDecimal rounded = value.setScale(0, RoundingMode.CEILING);
    return rounded.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : rounded.longValue();
  }
}
