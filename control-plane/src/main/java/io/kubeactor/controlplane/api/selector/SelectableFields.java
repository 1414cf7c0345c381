package io.kubeactor.controlplane.api.selector;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The fields one kind can be selected on, and their values in an object. Kubernetes splits this in
 * two: a field label conversion function per kind and version decides which field names a request
 * may use and how it rejects others (pkg/apis/core/v1/conversion.go, pkg/apis/batch/v1; kinds
 * without one get runtime.DefaultMetaV1FieldSelectorConversion), and the registry strategy's
 * ToSelectableFields computes the values (pkg/registry/core/pod/strategy.go, .../event/strategy.go,
 * ...). A field it accepts but does not compute reads as "", as in Kubernetes.
 */
final class SelectableFields {

  private final Map<String, Function<JsonNode, String>> fields;
  private final Map<String, String> aliases;
  private final UnaryOperator<String> unsupported;

  private SelectableFields(Map<String, Function<JsonNode, String>> fields, Map<String, String> aliases,
      UnaryOperator<String> unsupported) {
    this.fields = fields;
    this.aliases = aliases;
    this.unsupported = unsupported;
  }

  static SelectableFields of(ResourceType type) {
    return switch (type.group() + "/" + type.kind()) {
      case "/Pod" -> POD;
      case "/Event" -> EVENT;
      case "/Node" -> NODE;
      case "/Namespace" -> NAMESPACE;
      case "/Secret" -> SECRET;
      case "/Service" -> SERVICE;
      case "batch/Job" -> JOB;
      case "certificates.k8s.io/CertificateSigningRequest" -> CERTIFICATE_SIGNING_REQUEST;
      // apps/v1 registers no conversion, so ReplicaSets answer "status.replicas" like any other kind
      // even though their strategy computes it (kubernetes/kubernetes#135136).
      default -> METADATA_ONLY;
    };
  }

  /** The field a request names, as the server keeps it ("spec.host" is "spec.nodeName"). */
  String canonical(String field) {
    String name = aliases.getOrDefault(field, field);
    if (!fields.containsKey(name)) throw ApiException.badRequest(unsupported.apply(field));
    return name;
  }

  /** The value of a canonical field in an object; what is missing reads as "". */
  String valueOf(JsonNode object, String field) {
    String value = fields.get(field).apply(object);
    return value == null ? "" : value;
  }

  // ---- the kinds

  private static final UnaryOperator<String> NOT_SUPPORTED = f -> "field label not supported: " + f;

  private static final SelectableFields METADATA_ONLY = kind()
      .field("metadata.name").field("metadata.namespace")
      .rejecting(f -> LabelRules.quote(f) + " is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");

  private static final SelectableFields POD = kind()
      .field("metadata.name").field("metadata.namespace")
      .field("spec.nodeName").field("spec.restartPolicy").field("spec.schedulerName")
      .field("spec.serviceAccountName")
      .field("spec.hostNetwork", pod -> orDefault(Json.text(pod, "spec.hostNetwork"), "false"))
      .field("status.phase")
      .field("status.podIP", SelectableFields::primaryPodIP)
      .field("status.podIPs", pod -> "") // accepted by the conversion, never computed
      .field("status.nominatedNodeName")
      .alias("spec.host", "spec.nodeName") // for old v1 clients
      .rejecting(NOT_SUPPORTED);

  private static final SelectableFields EVENT = kind()
      .field("metadata.name").field("metadata.namespace")
      .field("involvedObject.kind").field("involvedObject.namespace").field("involvedObject.name")
      .field("involvedObject.uid").field("involvedObject.apiVersion")
      .field("involvedObject.resourceVersion").field("involvedObject.fieldPath")
      .field("reason").field("reportingComponent").field("type")
      // Events written through events.k8s.io carry only the reporting controller.
      .field("source", event -> orDefault(Json.text(event, "source.component"), Json.text(event, "reportingComponent")))
      .rejecting(NOT_SUPPORTED);

  private static final SelectableFields NODE = kind()
      .field("metadata.name")
      .field("spec.unschedulable", node -> orDefault(Json.text(node, "spec.unschedulable"), "false"))
      .rejecting(NOT_SUPPORTED);

  private static final SelectableFields NAMESPACE = kind()
      .field("metadata.name").field("status.phase")
      .rejecting(NOT_SUPPORTED);

  private static final SelectableFields SECRET = kind()
      .field("metadata.name").field("metadata.namespace").field("type")
      .rejecting(NOT_SUPPORTED);

  private static final SelectableFields SERVICE = kind()
      .field("metadata.name").field("metadata.namespace").field("spec.clusterIP").field("spec.type")
      .rejecting(NOT_SUPPORTED);

  private static final SelectableFields JOB = kind()
      .field("metadata.name").field("metadata.namespace")
      .field("status.successful", job -> orDefault(Json.text(job, "status.succeeded"), "0"))
      .rejecting(f -> "field label " + LabelRules.quote(f) + " not supported for batchv1.Job");

  /** pkg/registry/certificates/certificates/strategy.go's SelectableFields and the v1 conversion's field labels. */
  private static final SelectableFields CERTIFICATE_SIGNING_REQUEST = kind()
      .field("metadata.name").field("spec.signerName")
      .rejecting(NOT_SUPPORTED);

  /** Kubernetes selects on the first of status.podIPs; a v1 object may carry only status.podIP. */
  private static String primaryPodIP(JsonNode pod) {
    return orDefault(Json.at(pod, "status.podIPs").path(0).path("ip").asText(""), Json.text(pod, "status.podIP"));
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }

  private static Builder kind() {
    return new Builder();
  }

  private static final class Builder {
    private final Map<String, Function<JsonNode, String>> fields = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();

    /** A field whose value is the text at its own dotted path. */
    Builder field(String name) {
      return field(name, object -> Json.text(object, name));
    }

    Builder field(String name, Function<JsonNode, String> value) {
      fields.put(name, value);
      return this;
    }

    Builder alias(String name, String canonical) {
      aliases.put(name, canonical);
      return this;
    }

    SelectableFields rejecting(UnaryOperator<String> message) {
      return new SelectableFields(Map.copyOf(fields), Map.copyOf(aliases), message);
    }
  }
}
