package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.store.StoredObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

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
      Map.entry("events.k8s.io/Event", new EventPrinter.OfEventsV1()),
      Map.entry("/ConfigMap", new ConfigMapPrinter()),
      Map.entry("/Secret", new SecretPrinter()),
      Map.entry("/ServiceAccount", new ServiceAccountPrinter()),
      Map.entry("/PersistentVolume", new PersistentVolumePrinter()),
      Map.entry("/PersistentVolumeClaim", new PersistentVolumeClaimPrinter()),
      Map.entry("/ReplicationController", new ReplicationControllerPrinter()),
      Map.entry("apps/Deployment", new DeploymentPrinter()),
      Map.entry("apps/ReplicaSet", new ReplicaSetPrinter()),
      Map.entry("apps/DaemonSet", new DaemonSetPrinter()),
      Map.entry("apps/StatefulSet", new StatefulSetPrinter()),
      Map.entry("apps/ControllerRevision", new ControllerRevisionPrinter()),
      Map.entry("autoscaling/HorizontalPodAutoscaler", new HorizontalPodAutoscalerPrinter()),
      Map.entry("batch/Job", new JobPrinter()),
      Map.entry("batch/CronJob", new CronJobPrinter()),
      Map.entry("policy/PodDisruptionBudget", new PodDisruptionBudgetPrinter()),
      Map.entry("autoscaling.k8s.io/VerticalPodAutoscaler", new VerticalPodAutoscalerPrinter()),
      Map.entry("autoscaling.k8s.io/VerticalPodAutoscalerCheckpoint", new CustomResourcePrinter()),
      Map.entry("networking.k8s.io/Ingress", new IngressPrinter()),
      Map.entry("networking.k8s.io/IngressClass", new IngressClassPrinter()),
      Map.entry("discovery.k8s.io/EndpointSlice", new EndpointSlicePrinter()),
      Map.entry("coordination.k8s.io/Lease", new LeasePrinter()),
      Map.entry("storage.k8s.io/StorageClass", new StorageClassPrinter()),
      Map.entry("certificates.k8s.io/CertificateSigningRequest", new CertificateSigningRequestPrinter()),
      Map.entry("rbac.authorization.k8s.io/Role", new RolePrinter()),
      Map.entry("rbac.authorization.k8s.io/ClusterRole", new RolePrinter()),
      Map.entry("rbac.authorization.k8s.io/RoleBinding", RoleBindingPrinter.ofRoleBindings()),
      Map.entry("rbac.authorization.k8s.io/ClusterRoleBinding", RoleBindingPrinter.ofClusterRoleBindings()));

  private static final TablePrinter DEFAULT = new DefaultPrinter();
  private static final TablePrinter CUSTOM_RESOURCE = new CustomResourcePrinter();

  /** What each row carries in {@code object}: the {@code includeObject} query parameter. */
  private enum IncludeObject { NONE, METADATA, OBJECT }

  /** The printer for a kind, or the default NAME / CREATED AT one. */
  public static TablePrinter printer(ResourceType type) {
    if (type.isCustom()) {
      return type.custom().printerColumns().isEmpty() ? CUSTOM_RESOURCE : new CustomColumnsPrinter(type.custom().printerColumns());
    }
    return PRINTERS.getOrDefault(type.group() + "/" + type.kind(), DEFAULT);
  }

  /**
   * A meta.k8s.io/v1 Table for these objects (all of one ResourceType), rows in the given order, as
   * its JSON bytes. Each object's row is printed once and kept with the stored object, so a LIST
   * parses only the objects that changed since the last one; ages are printed at {@code now}.
   *
   * @param view each object as the requested version shows it (a fresh tree)
   * @param includeObject "None", "Metadata" (the default, also for null or ""): row.object is a
   *     PartialObjectMetadata) or "Object" (the whole object); anything else is a 400
   * @param withColumnDefinitions false leaves columnDefinitions empty (watch events after the first)
   * @param resourceVersion the list's (or the object's) resourceVersion, may be null
   * @param continueToken the list's continue token, or null
   */
  public static ByteString table(ResourceType type, List<StoredObject> objects, Function<StoredObject, ObjectNode> view,
      String includeObject, boolean withColumnDefinitions, String resourceVersion, String continueToken, Instant now) {
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

    List<ByteString> rows = new ArrayList<>(objects.size());
    for (StoredObject object : objects) {
      // keyed by the requested type: its version's view and printer made the row
      PrintedRow printed = object.derived(type, o -> print(type, printer, view.apply(o), o));
      rows.add(row(printed, include, () -> whole(type, view.apply(object)), now));
    }
    return Json.withArray(table, "rows", rows);
  }

  private static PrintedRow print(ResourceType type, TablePrinter printer, ObjectNode object, StoredObject stored) {
    List<Object> cells = printer.cells(object);
    if (cells.size() != printer.columns().size()) {
      throw new IllegalStateException(type.kind() + " printer gave " + cells.size() + " cells for "
          + printer.columns().size() + " columns");
    }
    ByteString metadata = stored.field("metadata");
    return new PrintedRow(cells, printer.conditions(object), metadata != null ? metadata : EMPTY_OBJECT);
  }

  private static ByteString row(PrintedRow printed, IncludeObject include, Supplier<ObjectNode> whole, Instant now) {
    List<Object> cells = printed.cells().stream().map(c -> c instanceof TimedCell t ? t.at(now) : c).toList();
    ByteStringBuilder out = new ByteStringBuilder();
    out.append(CELLS).putBytes(Json.bytes(cells));
    if (!printed.conditions().isEmpty()) out.append(CONDITIONS).putBytes(Json.bytes(printed.conditions()));
    switch (include) {
      case NONE -> out.append(NO_OBJECT);
      case METADATA -> out.append(PARTIAL_OBJECT_METADATA).append(printed.metadata()).append(CLOSE);
      case OBJECT -> out.append(OBJECT).putBytes(Json.bytes(whole.get()));
    }
    return out.append(CLOSE).result();
  }

  /** The whole object for includeObject=Object: kubectl decodes row objects as unstructured, which needs kind and apiVersion. */
  private static ObjectNode whole(ResourceType type, ObjectNode object) {
    if (!object.hasNonNull("kind")) object.put("kind", type.kind());
    if (!object.hasNonNull("apiVersion")) object.put("apiVersion", type.apiVersion());
    return object;
  }

  private static final ByteString EMPTY_OBJECT = ByteString.fromString("{}");
  private static final ByteString CELLS = ByteString.fromString("{\"cells\":");
  private static final ByteString CONDITIONS = ByteString.fromString(",\"conditions\":");
  private static final ByteString NO_OBJECT = ByteString.fromString(",\"object\":null");
  private static final ByteString OBJECT = ByteString.fromString(",\"object\":");
  private static final ByteString PARTIAL_OBJECT_METADATA = ByteString.fromString(
      ",\"object\":{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":");
  private static final ByteString CLOSE = ByteString.fromString("}");

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
