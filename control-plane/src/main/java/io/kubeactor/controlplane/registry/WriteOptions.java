package io.kubeactor.controlplane.registry;

import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-request options of a write: dry run, how unknown fields are treated (fieldValidation), where
 * warnings for the client go (the API server sends them as Warning headers), and who writes (for the
 * admission checks that depend on the user: RBAC escalation, ServiceAccount, NodeRestriction).
 */
public record WriteOptions(boolean dryRun, FieldValidationMode fieldValidation, List<String> warnings, UserInfo user,
    String fieldManager, boolean force, String fieldSubresource) {

  /**
   * @param fieldManager who owns the fields the write sets (metadata.managedFields); null for a writer
   *     inside the control plane, named after its user
   * @param force an apply takes the fields it changes from other managers instead of failing
   * @param fieldSubresource the subresource the write's managedFields entry names, when the write
   *     changes the object through another kind (scale)
   */
  public WriteOptions {}

  public WriteOptions(boolean dryRun, FieldValidationMode fieldValidation, List<String> warnings, UserInfo user) {
    this(dryRun, fieldValidation, warnings, user, null, false, null);
  }

  public WriteOptions withFieldSubresource(String subresource) {
    return new WriteOptions(dryRun, fieldValidation, warnings, user, fieldManager, force, subresource);
  }

  /**
   * The field manager of this write. Writers inside the control plane are named as upstream's
   * components name themselves in their User-Agent.
   */
  public String manager() {
    if (fieldManager != null) return fieldManager;
    String name = user == null ? "" : user.name();
    if (name.equals("system:kube-scheduler")) return "kube-scheduler";
    if (name.startsWith("system:node:")) return "kubelet";
    return "kube-controller-manager";
  }

  /** The writer inside the control plane, as kube-apiserver's loopback client: system:apiserver in system:masters. */
  public static final UserInfo INTERNAL_USER = UserInfo.of("system:apiserver", UserInfo.SYSTEM_MASTERS, UserInfo.AUTHENTICATED);

  public enum FieldValidationMode { STRICT, WARN, IGNORE }

  /** What controllers and internal writers use: no dry run, unknown fields dropped silently. */
  public static WriteOptions internal() {
    return internal(INTERNAL_USER);
  }

  /** As {@link #internal()}, written by a component with an identity of its own (a controller's ServiceAccount). */
  public static WriteOptions internal(UserInfo user) {
    return new WriteOptions(false, FieldValidationMode.IGNORE, new ArrayList<>(), user);
  }

  public static FieldValidationMode mode(String queryValue) {
    if (queryValue == null || queryValue.isEmpty()) return FieldValidationMode.WARN;
    return switch (queryValue) {
      case "Strict" -> FieldValidationMode.STRICT;
      case "Ignore" -> FieldValidationMode.IGNORE;
      default -> FieldValidationMode.WARN;
    };
  }
}
