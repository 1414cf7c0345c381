package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;

/**
 * One {@code metav1.TableColumnDefinition}. kubectl upper-cases {@code name} for the header, shows
 * priority-1 columns only with {@code -o wide}, and uses the "name" format to find the NAME column.
 */
public record Column(String name, String type, String format, String description, int priority) {

  static final String NAME_DOC =
      "Name must be unique within a namespace. Is required when creating resources, although some"
          + " resources may allow a client to request the generation of an appropriate name"
          + " automatically. Name is primarily intended for creation idempotence and configuration"
          + " definition. Cannot be updated. More info:"
          + " https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

  static final String CREATION_DOC =
      "CreationTimestamp is a timestamp representing the server time when this object was created."
          + " It is not guaranteed to be set in happens-before order across separate operations."
          + " Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\n"
          + "Populated by the system. Read-only. Null for lists. More info:"
          + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

  static final Column NAME = new Column("Name", "string", "name", NAME_DOC, 0);
  static final Column AGE = string("Age", CREATION_DOC);
  static final Column CONTAINERS = string("Containers", "Names of each container in the template.").wide();
  static final Column IMAGES = string("Images", "Images referenced by each container in the template.").wide();

  static Column string(String name, String description) {
    return new Column(name, "string", "", description, 0);
  }

  static Column integer(String name, String description) {
    return new Column(name, "integer", "", description, 0);
  }

  static Column bool(String name, String description) {
    return new Column(name, "boolean", "", description, 0);
  }

  /** The same column shown only with {@code -o wide}. */
  Column wide() {
    return new Column(name, type, format, description, 1);
  }

  ObjectNode toJson() {
    ObjectNode c = Json.object();
    c.put("name", name);
    c.put("type", type);
    c.put("format", format);
    c.put("description", description);
    c.put("priority", priority);
    return c;
  }
}
