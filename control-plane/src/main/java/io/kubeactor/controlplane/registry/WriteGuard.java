package io.kubeactor.controlplane.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.security.authentication.UserInfo;

/**
 * A check of who writes what, as an admission plugin upstream: {@link #check} on every create and
 * update of an object (not of its status) before defaulting and validation, as the RBAC kinds'
 * policy-based storage wraps their REST storage; {@link #checkSubresource} and {@link #checkDelete}
 * for the writes admission sees besides (status, eviction, a TokenRequest, a deletion), which only
 * some guards care about (NodeRestriction). Each throws an
 * {@link io.kubeactor.controlplane.api.ApiException} to refuse.
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
   * A write of a subresource: an update of "status", "resize" or "ephemeralcontainers" ({@code object} the object after,
   * {@code old} before), or a create of one the registry does not store, "eviction" or "token"
   * ({@code object} the request's body, {@code old} the stored parent object, null when there is none).
   */
  default void checkSubresource(ResourceType type, String subresource, String namespace, String name, ObjectNode object,
      ObjectNode old, UserInfo user) {}

  /** A deletion of the stored object {@code current}. */
  default void checkDelete(ResourceType type, ObjectNode current, UserInfo user) {}

  /** This guard, then the other. */
  default WriteGuard andThen(WriteGuard next) {
    WriteGuard first = this;
    return new WriteGuard() {
      @Override
      public void check(ResourceType type, ObjectNode object, ObjectNode old, UserInfo user) {
        first.check(type, object, old, user);
        next.check(type, object, old, user);
      }

      @Override
      public void checkSubresource(ResourceType type, String subresource, String namespace, String name,
          ObjectNode object, ObjectNode old, UserInfo user) {
        first.checkSubresource(type, subresource, namespace, name, object, old, user);
        next.checkSubresource(type, subresource, namespace, name, object, old, user);
      }

      @Override
      public void checkDelete(ResourceType type, ObjectNode current, UserInfo user) {
        first.checkDelete(type, current, user);
        next.checkDelete(type, current, user);
      }
    };
  }
}
