package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The {@code meta.k8s.io/v1 Table} that {@code kubectl get} asks for with {@code Accept:
 * application/json;as=Table;v=v1;g=meta.k8s.io}: Kubernetes' printers for the built-in kinds
 * (pkg/printers/internalversion), and the default NAME / CREATED AT table for the others.
 */
public final class Tables {
  private Tables() {}

  /** Printers by "group/Kind"; both autoscaling versions share one. */
  private static final Map<String, TablePrinter> PRINTERS = Map.ofEntries(
      Map.entry("/Namespace", new NamespacePrinter()),
      Map.entry("/Pod", new PodPrinter()),
      Map.entry("/Node", new NodePrinter()),
      Map.entry("/Service", new ServicePrinter()),
      Map.entry("/Endpoints", new EndpointsPrinter()),
      Map.entry("/Event", new EventPrinter()),
      Map.entry("/ConfigMap", new ConfigMapPrinter()),
      Map.entry("/Secret", new SecretPrinter()),
      Map.entry("/ServiceAccount", new ServiceAccountPrinter()),
      Map.entry("/PersistentVolume", new PersistentVolumePrinter()),
      Map.entry("/PersistentVolumeClaim", new PersistentVolumeClaimPrinter()),
      Map.entry("apps/Deployment", new DeploymentPrinter()),
      Map.entry("apps/ReplicaSet", new ReplicaSetPrinter()),
      Map.entry("apps/DaemonSet", new DaemonSetPrinter()),
      Map.entry("apps/StatefulSet", new StatefulSetPrinter()),
      Map.entry("apps/ControllerRevision", new ControllerRevisionPrinter()),
      Map.entry("autoscaling/HorizontalPodAutoscaler", new HorizontalPodAutoscalerPrinter()),
      Map.entry("policy/PodDisruptionBudget", new PodDisruptionBudgetPrinter()),
      Map.entry("networking.k8s.io/Ingress", new IngressPrinter()),
      Map.entry("networking.k8s.io/IngressClass", new IngressClassPrinter()),
      Map.entry("discovery.k8s.io/EndpointSlice", new EndpointSlicePrinter()),
      Map.entry("coordination.k8s.io/Lease", new LeasePrinter()),
      Map.entry("storage.k8s.io/StorageClass", new StorageClassPrinter()));

  private static final TablePrinter DEFAULT = new DefaultPrinter();

  /** What each row carries in {@code object}: the {@code includeObject} query parameter. */
  private enum IncludeObject { NONE, METADATA, OBJECT }

  /** The printer for a kind, or the default NAME / CREATED AT one. */
  public static TablePrinter printer(ResourceType type) {
    return PRINTERS.getOrDefault(type.group() + "/" + type.kind(), DEFAULT);
  }

  /**
   * A meta.k8s.io/v1 Table for these objects (all of one ResourceType), rows in the given order.
   *
   * @param includeObject "None", "Metadata" (the default, also for null or "": row.object is a
   *     PartialObjectMetadata) or "Object" (the whole object); anything else is a 400
   * @param withColumnDefinitions false leaves columnDefinitions empty (watch events after the first)
   * @param resourceVersion the list's (or the object's) resourceVersion, may be null
   * @param continueToken the list's continue token, or null
   * @param now the clock for AGE and the other durations
   */
  public static ObjectNode table(ResourceType type, List<? extends JsonNode> objects, String includeObject,
      boolean withColumnDefinitions, String resourceVersion, String continueToken, Instant now) {
    IncludeObject include = parseIncludeObject(includeObject);
    TablePrinter printer = printer(type);

    ObjectNode table = Json.object();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    if (resourceVersion != null && !resourceVersion.isEmpty()) metadata.put("resourceVersion", resourceVersion);
    if (continueToken != null && !continueToken.isEmpty()) metadata.put("continue", continueToken);

    ArrayNode columns = table.putArray("columnDefinitions");
    if (withColumnDefinitions) printer.columns().forEach(c -> columns.add(c.toJson()));

    ArrayNode rows = table.putArray("rows");
    for (JsonNode object : objects) {
      rows.add(row(type, printer, object, include, now));
    }
    return table;
  }

  private static ObjectNode row(ResourceType type, TablePrinter printer, JsonNode object, IncludeObject include,
      Instant now) {
    ObjectNode row = Json.object();
    List<Object> cells = printer.cells(object, now);
    if (cells.size() != printer.columns().size()) {
      throw new IllegalStateException(type.kind() + " printer gave " + cells.size() + " cells for "
          + printer.columns().size() + " columns");
    }
    ArrayNode cellsJson = row.putArray("cells");
    for (Object cell : cells) {
      if (cell instanceof Long n) cellsJson.add(n);
      else if (cell instanceof Boolean b) cellsJson.add(b);
      else cellsJson.add(String.valueOf(cell));
    }
    List<TablePrinter.RowCondition> conditions = printer.conditions(object);
    if (!conditions.isEmpty()) {
      ArrayNode conditionsJson = row.putArray("conditions");
      for (TablePrinter.RowCondition c : conditions) {
        conditionsJson.addObject().put("type", c.type()).put("status", c.status()).put("reason", c.reason())
            .put("message", c.message());
      }
    }
    switch (include) {
      case NONE -> row.putNull("object");
      case METADATA -> {
        ObjectNode partial = row.putObject("object");
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", object.path("metadata").isObject() ? object.get("metadata").deepCopy() : Json.object());
      }
      case OBJECT -> {
        ObjectNode whole = object.deepCopy();
        // kubectl decodes row objects as unstructured, which needs kind and apiVersion
        if (!whole.hasNonNull("kind")) whole.put("kind", type.kind());
        if (!whole.hasNonNull("apiVersion")) whole.put("apiVersion", type.apiVersion());
        row.set("object", whole);
      }
    }
    return row;
  }

  private static IncludeObject parseIncludeObject(String includeObject) {
    if (includeObject == null) return IncludeObject.METADATA;
    return switch (includeObject) {
      case "None" -> IncludeObject.NONE;
      case "Metadata", "" -> IncludeObject.METADATA;
      case "Object" -> IncludeObject.OBJECT;
      default -> throw ApiException.badRequest("unrecognized includeObject value: \"" + includeObject + "\"");
    };
  }
}
