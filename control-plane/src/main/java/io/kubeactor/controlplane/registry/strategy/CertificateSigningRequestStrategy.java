package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.Syntax;
import io.kubeactor.controlplane.registry.Registry;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.CertificateValidation;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.service.ServiceStorage;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * CertificateSigningRequests (pkg/registry/certificates/certificates/strategy.go): the requester is
 * recorded in the spec on create and no status may be sent; afterwards the spec never changes, the
 * status subresource sets the certificate and conditions other than Approved and Denied, the
 * approval subresource only the conditions. Conditions get their timestamps here.
 */
enum CertificateSigningRequestStrategy implements ResourceStrategy {
  INSTANCE;

  static final String APPROVAL = "approval";

  @Override
  public Syntax.NameRule nameRule() {
    return Syntax.NameRule.ANY;
  }

  @Override
  public void prepareForCreate(ResourceType type, ObjectNode csr, UserInfo user) {
    ObjectNode spec = csr.withObjectProperty("spec");
    spec.remove(List.of("username", "uid", "groups", "extra"));
    if (user != null) {
      spec.put("username", user.name());
      if (!user.uid().isEmpty()) spec.put("uid", user.uid());
      if (!user.groups().isEmpty()) {
        ArrayNode groups = spec.putArray("groups");
        user.groups().forEach(groups::add);
      }
      if (!user.extra().isEmpty()) spec.set("extra", Json.toTree(user.extra()));
    }
    // users cannot create pre-approved requests
    csr.putObject("status");
  }

  @Override
  public void applyDefaults(ResourceType type, ObjectNode csr, AdmissionSettings settings) {
    CertificateValidation.defaultConditions(csr);
  }

  @Override
  public boolean defaultsStatusUpdates() {
    return true;
  }

  @Override
  public void validate(ObjectNode csr, FieldErrors errors) {
    CertificateValidation.create(csr, errors);
  }

  /** PrepareForUpdate: an update of the object changes neither its spec nor its status. */
  @Override
  public ServiceStorage.Allocation beginUpdate(ObjectNode csr, ObjectNode old, boolean dryRun, ServiceStorage services) {
    csr.set("spec", old.path("spec").deepCopy());
    if (old.has("status")) csr.set("status", old.get("status").deepCopy());
    return ServiceStorage.Allocation.NONE;
  }

  @Override
  public void validateUpdate(ObjectNode csr, ObjectNode old, FieldErrors errors) {
    CertificateValidation.update(csr, old, CertificateValidation.Path.OBJECT, errors);
  }

  @Override
  public boolean hasUpdatableSubresource(String subresource) {
    return APPROVAL.equals(subresource);
  }

  @Override
  public ObjectNode prepareSubresourceUpdate(String subresource, ObjectNode current, ObjectNode requested, Instant now) {
    ObjectNode out = current.deepCopy();
    ObjectNode status = out.withObjectProperty("status");
    JsonNode sentConditions = requested.path("status").get("conditions");
    switch (subresource) {
      case "status" -> {
        // the status as sent, but the Approved and Denied conditions as they were
        if (requested.get("status") instanceof ObjectNode sent) out.set("status", sent.deepCopy());
        else out.remove("status");
        ObjectNode newStatus = out.withObjectProperty("status");
        preserveConditionInstances(newStatus, current, CertificateValidation.APPROVED);
        preserveConditionInstances(newStatus, current, CertificateValidation.DENIED);
      }
      case APPROVAL -> {
        // only the conditions change
        if (sentConditions == null || sentConditions.isNull()) status.remove("conditions");
        else status.set("conditions", sentConditions.deepCopy());
      }
      default -> {
        return null;
      }
    }
    populateConditionTimestamps(out, current, now);
    return out;
  }

  @Override
  public List<ApiException.Cause> statusFieldErrors(String subresource, ObjectNode csr, ObjectNode old) {
    CertificateValidation.Path path = APPROVAL.equals(subresource)
        ? CertificateValidation.Path.APPROVAL : CertificateValidation.Path.STATUS;
    return ResourceStrategy.statusUpdateErrors(csr, old,
        (object, errors) -> CertificateValidation.update(object, old, path, errors));
  }

  /** preserveConditionInstances: when the count of a type is unchanged, its conditions stay as stored. */
  private static void preserveConditionInstances(ObjectNode status, ObjectNode old, String type) {
    List<Integer> oldIndices = indices(old.path("status").path("conditions"), type);
    JsonNode conditions = status.path("conditions");
    List<Integer> newIndices = indices(conditions, type);
    if (oldIndices.size() != newIndices.size() || !(conditions instanceof ArrayNode array)) return;
    for (int i = 0; i < oldIndices.size(); i++) {
      array.set(newIndices.get(i), old.path("status").path("conditions").get(oldIndices.get(i)).deepCopy());
    }
  }

  private static List<Integer> indices(JsonNode conditions, String type) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < conditions.size(); i++) if (type.equals(conditions.get(i).path("type").asText())) out.add(i);
    return out;
  }

  /**
   * populateConditionTimestamps: lastUpdateTime now when not given; lastTransitionTime kept from a
   * stored condition of the same type and status, else now.
   */
  private static void populateConditionTimestamps(ObjectNode csr, ObjectNode old, Instant now) {
    String stamp = Registry.timestamp(now);
    for (JsonNode c : csr.path("status").path("conditions")) {
      if (!(c instanceof ObjectNode condition)) continue;
      if (condition.path("lastUpdateTime").asText("").isEmpty()) condition.put("lastUpdateTime", stamp);
      if (condition.path("lastTransitionTime").asText("").isEmpty()) {
        String transition = stamp;
        for (JsonNode o : old.path("status").path("conditions")) {
          if (o.path("type").asText().equals(condition.path("type").asText())
              && o.path("status").asText().equals(condition.path("status").asText("True"))
              && !o.path("lastTransitionTime").asText("").isEmpty()) {
            transition = o.path("lastTransitionTime").asText();
            break;
          }
        }
        condition.put("lastTransitionTime", transition);
      }
    }
  }
}
