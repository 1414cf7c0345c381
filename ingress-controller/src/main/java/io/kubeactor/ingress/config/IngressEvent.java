package io.kubeactor.ingress.config;

/** An event to record on an Ingress. */
public record IngressEvent(String namespace, String name, String type, String reason, String message)
    implements Comparable<IngressEvent> {

  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  static IngressEvent warning(IngressRef ingress, String reason, String message) {
    return new IngressEvent(ingress.namespace(), ingress.name(), WARNING, reason, message);
  }

  @Override
  public int compareTo(IngressEvent other) {
    return (namespace + '\0' + name + '\0' + reason + '\0' + message)
        .compareTo(other.namespace + '\0' + other.name + '\0' + other.reason + '\0' + other.message);
  }
}
