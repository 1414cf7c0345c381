package io.kubeactor.controlplane.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.security.authentication.UserInfo;

/**
 * A check of who writes what, run on every create and update of an object (not of its status)
 * before defaulting and validation, as the RBAC kinds' policy-based storage wraps their REST
 * storage upstream: it throws an {@link io.kubeactor.controlplane.api.ApiException} to refuse.
 */
public interface WriteGuard {

  /** Nothing checked: the registry's guard until the control plane installs one. */
  WriteGuard NONE = (type, object, old, user) -> {};

  /**
   * @param type the stored version's type
   * @param object the object to be written, its namespace set
   * @param old the stored object on update, null on create
   * @param user who writes ({@link WriteOptions#user()}), null when unknown
   */
  void check(ResourceType type, ObjectNode object, ObjectNode old, UserInfo user);

  /**
   * The check of an update through a subresource (a CertificateSigningRequest's status or
   * approval), run once the subresource's validation passed, as upstream's validating admission
   * runs after the strategy. Nothing by default.
   *
   * @param subresource "status", "approval" ...
   */
  default void checkSubresource(ResourceType type, String subresource, ObjectNode object, ObjectNode old, UserInfo user) {}

  /** Every guard in turn; the first that refuses decides. */
  static WriteGuard all(java.util.List<WriteGuard> guards) {
    return new WriteGuard() {
      @Override
      public void check(ResourceType type, ObjectNode object, ObjectNode old, UserInfo user) {
        for (WriteGuard g : guards) g.check(type, object, old, user);
      }

      @Override
      public void checkSubresource(ResourceType type, String subresource, ObjectNode object, ObjectNode old, UserInfo user) {
        for (WriteGuard g : guards) g.checkSubresource(type, subresource, object, old, user);
      }
    };
  }
}
