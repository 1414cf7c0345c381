package io.kubeactor.controlplane.apiserver.options;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.FieldPath;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * metav1.DeleteOptions of a delete or deletecollection, as kube-apiserver's delete handler reads
 * them: from the body when there is one (the query is then not read at all), otherwise from the
 * query; then ValidateDeleteOptions. A body of another kind or of the wrong JSON types is a 400
 * (kube-apiserver 1.32 answers those with a 500, fixed upstream in 1.35 to this 400); invalid
 * values are a 422 {@code DeleteOptions.meta.k8s.io "" is invalid: ...}. Nothing is deleted then.
 */
public final class DeleteOptionsDecoder {
  private DeleteOptionsDecoder() {}

  public static final List<String> PROPAGATION_POLICIES = List.of("Foreground", "Background", "Orphan");

  /** The fields of DeleteOptions as read from either source, before validation. */
  private record Raw(Long gracePeriodSeconds, String uid, String resourceVersion, Boolean orphanDependents,
      String propagationPolicy, List<String> dryRun) {}

  /**
   * @param hasBody whether the request carries a body (upstream: len(body) > 0)
   * @param body the body as a JSON tree, parsed by its content type (only asked when hasBody)
   */
  public static DeleteOptions decode(boolean hasBody, Supplier<JsonNode> body, QueryParameters query) {
    Raw raw = hasBody ? fromBody(body.get()) : fromQuery(query);
    FieldErrors errors = new FieldErrors();
    if (raw.orphanDependents() != null && raw.propagationPolicy() != null) {
      errors.invalid(FieldPath.root("propagationPolicy"), raw.propagationPolicy(),
          "orphanDependents and deletionPropagation cannot be both set");
    }
    if (raw.propagationPolicy() != null && !PROPAGATION_POLICIES.contains(raw.propagationPolicy())) {
      List<String> supported = new ArrayList<>(PROPAGATION_POLICIES);
      supported.add("nil");
      errors.notSupported(FieldPath.root("propagationPolicy"), raw.propagationPolicy(), supported);
    }
    WriteOptionsDecoder.validateDryRun(raw.dryRun(), errors);
    if (errors.size() > 0) throw ApiException.invalid(MediaTypes.META_GROUP, "DeleteOptions", "", errors.causes());

    String policy = raw.propagationPolicy();
    if (policy == null && raw.orphanDependents() != null) policy = raw.orphanDependents() ? "Orphan" : "Background";
    return new DeleteOptions(raw.gracePeriodSeconds(), policy, raw.uid(), raw.resourceVersion(), !raw.dryRun().isEmpty());
  }

  private static Raw fromQuery(QueryParameters q) {
    // preconditions are not a query parameter upstream (opted out of conversion)
    return new Raw(q.int64("gracePeriodSeconds").orElse(null), null, null, q.bool("orphanDependents").orElse(null),
        q.string("propagationPolicy").orElse(null), q.all("dryRun"));
  }

  private static Raw fromBody(JsonNode body) {
    OptionBodies.checkDeleteOptions(body);
    JsonNode pre = body.path("preconditions");
    return new Raw(
        body.hasNonNull("gracePeriodSeconds") ? body.get("gracePeriodSeconds").asLong() : null,
        pre.hasNonNull("uid") ? pre.get("uid").asText() : null,
        pre.hasNonNull("resourceVersion") ? pre.get("resourceVersion").asText() : null,
        body.hasNonNull("orphanDependents") ? body.get("orphanDependents").asBoolean() : null,
        body.hasNonNull("propagationPolicy") ? body.get("propagationPolicy").asText() : null,
        strings(body.path("dryRun")));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array.isArray()) array.forEach(v -> out.add(v.asText()));
    return out;
  }
}
