package io.kubeactor.controlplane.api;

import java.util.List;

/**
 * A failure that the API answers as a Kubernetes {@code metav1.Status}: code, reason (NotFound,
 * AlreadyExists, Conflict, Invalid, BadRequest, ...), message, and the details kubectl prints.
 */
public final class ApiException extends RuntimeException {

  /** One entry of {@code details.causes}: e.g. FieldValueInvalid on "spec.selector". */
  public record Cause(String reason, String message, String field) {}

  public final int code;
  public final String reason;
  public final String group;
  public final String kind;
  public final String name;
  public final List<Cause> causes;

  public ApiException(int code, String reason, String message, String group, String kind, String name, List<Cause> causes) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.group = group;
    this.kind = kind;
    this.name = name;
    this.causes = causes == null ? List.of() : causes;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message, null, null, null, null);
  }

  public static ApiException methodNotAllowed(String group, String resource, String name) {
    return new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
        group, resource, name, null);
  }

  /** The failure behind an asynchronous write's exception (its CompletionException unwrapped). */
  public static Throwable unwrap(Throwable e) {
    return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  /** Whether a write failed with an API error of this HTTP code (404 gone, 409 conflict or exists). */
  public static boolean hasCode(Throwable e, int code) {
    return unwrap(e) instanceof ApiException api && api.code == code;
  }

  public static ApiException notFound(String group, String resource, String name) {
    String qualified = group == null || group.isEmpty() ? resource : resource + "." + group;
    return new ApiException(404, "NotFound", qualified + " \"" + name + "\" not found", group, resource, name, null);
  }

  public static ApiException alreadyExists(String group, String resource, String name) {
    String qualified = group == null || group.isEmpty() ? resource : resource + "." + group;
    return new ApiException(409, "AlreadyExists", qualified + " \"" + name + "\" already exists", group, resource, name, null);
  }

  /**
   * 403, as apimachinery's NewForbidden: {@code pods "web" is forbidden: why}, {@code pods is
   * forbidden: why} without a name, {@code forbidden: why} without a resource (a path).
   */
  public static ApiException forbidden(String group, String resource, String name, String why) {
    String qualified = resource == null || resource.isEmpty() ? ""
        : group == null || group.isEmpty() ? resource : resource + "." + group;
    String message = qualified.isEmpty() ? "forbidden: " + why
        : name == null || name.isEmpty() ? qualified + " is forbidden: " + why
        : qualified + " \"" + name + "\" is forbidden: " + why;
    return new ApiException(403, "Forbidden", message, group, resource, name, null);
  }

  public static ApiException conflict(String group, String resource, String name, String why) {
    String qualified = group == null || group.isEmpty() ? resource : resource + "." + group;
    return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + qualified + " \"" + name + "\": " + why,
        group, resource, name, null);
  }

  /** 422: {@code Deployment.apps "web" is invalid: spec.selector: Invalid value: ...}. */
  public static ApiException invalid(String group, String kind, String name, List<Cause> causes) {
    String qualified = group == null || group.isEmpty() ? kind : kind + "." + group;
    StringBuilder msg = new StringBuilder(qualified + " \"" + name + "\" is invalid: ");
    if (causes.size() == 1) {
      msg.append(causes.get(0).field()).append(": ").append(causes.get(0).message());
    } else {
      msg.append("[");
      for (int i = 0; i < causes.size(); i++) {
        if (i > 0) msg.append(", ");
        msg.append(causes.get(i).field()).append(": ").append(causes.get(i).message());
      }
      msg.append("]");
    }
    return new ApiException(422, "Invalid", msg.toString(), group, kind, name, causes);
  }
}
