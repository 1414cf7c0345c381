package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.Syntax;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.Defaulter;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.ServiceValidation;
import io.kubeactor.controlplane.registry.service.ServiceStorage;
import java.util.List;

/**
 * Services (pkg/registry/core/service/strategy.go and its REST storage, registry/service): their
 * addresses and node ports are allocated between defaulting and validation, and their status has
 * rules of its own.
 */
enum ServiceStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public Syntax.NameRule nameRule() {
    return Syntax.NameRule.DNS1035_LABEL;
  }

  @Override
  public void prepareForCreate(ResourceType type, ObjectNode service) {
    service.remove("status");
    service.withObjectProperty("status").putObject("loadBalancer");
  }

  @Override
  public void applyDefaults(ResourceType type, ObjectNode service, AdmissionSettings settings) {
    Defaulter.service(service);
  }

  @Override
  public ServiceStorage.Allocation beginCreate(ObjectNode service, boolean dryRun, ServiceStorage services) {
    return services.beginCreate(service, dryRun);
  }

  @Override
  public void validate(ObjectNode service, FieldErrors errors) {
    ServiceValidation.service(service, errors);
  }

  @Override
  public ServiceStorage.Allocation beginUpdate(ObjectNode service, ObjectNode old, boolean dryRun, ServiceStorage services) {
    ServiceStorage.Allocation allocation = services.beginUpdate(service, old, dryRun);
    try {
      ServiceStorage.prepareForUpdate(service, old);
    } catch (RuntimeException e) {
      allocation.close();
      throw e;
    }
    return allocation;
  }

  @Override
  public void validateUpdate(ObjectNode service, ObjectNode old, FieldErrors errors) {
    ServiceValidation.serviceUpdate(service, old, errors);
    ServiceValidation.service(service, errors);
  }

  /** A load balancer's ingress gets its ipMode default when a controller reports it. */
  @Override
  public boolean defaultsStatusUpdates() {
    return true;
  }

  @Override
  public List<ApiException.Cause> statusFieldErrors(ObjectNode service, ObjectNode old) {
    return ResourceStrategy.statusUpdateErrors(service, old, ServiceValidation::status);
  }

  @Override
  public boolean deletesItsEndpoints() {
    return true;
  }
}
