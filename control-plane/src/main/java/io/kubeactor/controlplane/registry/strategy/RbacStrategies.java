package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.Syntax;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.RbacValidation;

/**
 * The four RBAC kinds (pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/strategy.go):
 * names are path segments ("system:node" is valid), bindings get their defaults and keep their
 * roleRef. The escalation and bind checks of their policy-based storage are the registry's
 * {@link io.kubeactor.controlplane.registry.WriteGuard}, since they need the authorizer.
 */
final class RbacStrategies {
  private RbacStrategies() {}

  enum RoleStrategy implements ResourceStrategy {
    INSTANCE;

    @Override
    public Syntax.NameRule nameRule() {
      return Syntax.NameRule.PATH_SEGMENT;
    }

    @Override
    public void validate(ObjectNode role, FieldErrors errors) {
      RbacValidation.role(role, errors);
    }
  }

  enum ClusterRoleStrategy implements ResourceStrategy {
    INSTANCE;

    @Override
    public Syntax.NameRule nameRule() {
      return Syntax.NameRule.PATH_SEGMENT;
    }

    @Override
    public void validate(ObjectNode clusterRole, FieldErrors errors) {
      RbacValidation.clusterRole(clusterRole, errors);
    }
  }

  enum RoleBindingStrategy implements ResourceStrategy {
    INSTANCE;

    @Override
    public Syntax.NameRule nameRule() {
      return Syntax.NameRule.PATH_SEGMENT;
    }

    @Override
    public void applyDefaults(ResourceType type, ObjectNode binding, AdmissionSettings settings) {
      RbacValidation.defaultBinding(binding);
    }

    @Override
    public void validate(ObjectNode binding, FieldErrors errors) {
      RbacValidation.roleBinding(binding, errors);
    }

    @Override
    public void validateUpdate(ObjectNode binding, ObjectNode old, FieldErrors errors) {
      RbacValidation.roleBinding(binding, errors);
      RbacValidation.bindingUpdate(binding, old, errors);
    }
  }

  enum ClusterRoleBindingStrategy implements ResourceStrategy {
    INSTANCE;

    @Override
    public Syntax.NameRule nameRule() {
      return Syntax.NameRule.PATH_SEGMENT;
    }

    @Override
    public void applyDefaults(ResourceType type, ObjectNode binding, AdmissionSettings settings) {
      RbacValidation.defaultBinding(binding);
    }

    @Override
    public void validate(ObjectNode binding, FieldErrors errors) {
      RbacValidation.clusterRoleBinding(binding, errors);
    }

    @Override
    public void validateUpdate(ObjectNode binding, ObjectNode old, FieldErrors errors) {
      RbacValidation.clusterRoleBinding(binding, errors);
      RbacValidation.bindingUpdate(binding, old, errors);
    }
  }
}
