package io.kubeactor.controlplane.security.authorization;

import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A request's authorization attributes read from its method, path and query alone, as
 * k8s.io/apiserver's RequestInfoFactory does (before anything checks that the resource exists):
 * {@code /api/v1/namespaces/ns/pods/web/log} is "get" on pods/log named web in ns; a GET without a
 * name is "list", or "watch" with watch=true; a DELETE without one "deletecollection"; anything
 * outside /api and /apis (and their discovery documents) is a non-resource request on its path.
 */
public final class RequestAttributes {

  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");
  /**
   * Streams that open a session in the pod: "create" whatever the method, since kubectl opens the
   * WebSocket ones with a GET (1.32's AuthorizePodWebsocketUpgradeCreatePermission).
   */
  private static final Set<String> CREATE_SUBRESOURCES = Set.of("exec", "attach", "portforward");

  private RequestAttributes() {}

  /** @param watchParam the query's watch value (null when absent); @param fieldSelector its fieldSelector */
  public static Attributes of(UserInfo user, String method, String path, String watchParam, String fieldSelector) {
    String verb = switch (method) {
      case "POST" -> "create";
      case "GET", "HEAD" -> "get";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> "";
    };
    List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    boolean legacy = !parts.isEmpty() && parts.get(0).equals("api");
    boolean grouped = !parts.isEmpty() && parts.get(0).equals("apis");
    // discovery (/api, /api/v1, /apis, /apis/g, /apis/g/v) and everything else are paths
    if (!(legacy && parts.size() >= 3) && !(grouped && parts.size() >= 4)) {
      return Attributes.nonResource(user, method.toLowerCase(java.util.Locale.ROOT), path);
    }
    String group = legacy ? "" : parts.get(1);
    String version = legacy ? parts.get(1) : parts.get(2);
    List<String> rest = parts.subList(legacy ? 2 : 3, parts.size());
    if (rest.get(0).equals("watch")) {
      verb = "watch";
      rest = rest.subList(1, rest.size());
      if (rest.isEmpty()) return Attributes.nonResource(user, method.toLowerCase(java.util.Locale.ROOT), path);
    }
    String namespace = "";
    if (rest.get(0).equals("namespaces") && rest.size() > 1) {
      namespace = rest.get(1);
      if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) rest = rest.subList(2, rest.size());
    }
    String resource = rest.get(0);
    String name = rest.size() >= 2 ? rest.get(1) : "";
    String subresource = rest.size() >= 3 ? rest.get(2) : "";
    if (name.isEmpty() && verb.equals("get")) {
      verb = watchParam != null && !watchParam.equals("0") && !watchParam.equalsIgnoreCase("false") ? "watch" : "list";
      name = nameFromFieldSelector(fieldSelector);
    }
    if (name.isEmpty() && verb.equals("delete")) verb = "deletecollection";
    if (resource.equals("pods") && CREATE_SUBRESOURCES.contains(subresource)) verb = "create";
    return new Attributes(user, verb, true, group, version, resource, subresource, namespace, name, path,
        Set.of("list", "watch", "deletecollection").contains(verb) ? fieldSelector : "");
  }

  /** A list or watch of one object by {@code metadata.name=x} is authorized as on that name. */
  private static String nameFromFieldSelector(String selector) {
    if (selector == null || selector.contains(",")) return "";
    for (String op : List.of("==", "=")) {
      int i = selector.indexOf(op);
      if (i > 0 && selector.substring(0, i).strip().equals("metadata.name")) {
        String name = selector.substring(i + op.length()).strip();
        return name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..") || name.contains("%")
            ? "" : name;
      }
    }
    return "";
  }

  /**
   * The 403 a denied request is answered with, worded as k8s.io/apiserver's responsewriters.Forbidden:
   * {@code pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"},
   * and the authorizers' reason after a colon when they gave one.
   */
  public static ApiException forbidden(Attributes a, String reason) {
    String message;
    if (!a.resourceRequest()) {
      message = "User \"" + a.user().name() + "\" cannot " + a.verb() + " path \"" + a.path() + "\"";
    } else {
      String resource = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
      message = "User \"" + a.user().name() + "\" cannot " + a.verb() + " resource \"" + resource + "\" in API group \""
          + a.apiGroup() + "\"" + (a.namespace().isEmpty() ? " at the cluster scope" : " in the namespace \"" + a.namespace() + "\"");
    }
    if (reason != null && !reason.isEmpty()) message += ": " + reason;
    return ApiException.forbidden(a.apiGroup(), a.resource(), a.name(), message);
  }
}
