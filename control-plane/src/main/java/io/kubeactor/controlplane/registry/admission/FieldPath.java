package io.kubeactor.controlplane.registry.admission;

/**
 * A field's path as Kubernetes prints it in errors: {@code spec.containers[0].ports[1].name},
 * {@code metadata.labels}, {@code data[key.txt]} (field/path.go).
 */
public record FieldPath(String text) {

  public static FieldPath root(String name) {
    // An empty root names the whole object; Kubernetes prints it as "[]".
    return new FieldPath(name.isEmpty() ? "[]" : name);
  }

  public FieldPath child(String name) {
    return new FieldPath(text + "." + name);
  }

  FieldPath index(int i) {
    return new FieldPath(text + "[" + i + "]");
  }

  FieldPath key(String key) {
    return new FieldPath(text + "[" + key + "]");
  }

  @Override
  public String toString() {
    return text;
  }
}
