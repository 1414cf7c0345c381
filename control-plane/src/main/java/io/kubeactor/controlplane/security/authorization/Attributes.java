package io.kubeactor.controlplane.security.authorization;

import io.kubeactor.controlplane.security.authentication.UserInfo;

/**
 * What a request asks to do, as kube-apiserver's request info resolver reads it (upstream's
 * authorizer.Attributes): the user; the verb (get, list, watch, create, update, patch, delete,
 * deletecollection, or impersonate, bind, escalate, use ... for checks that are not HTTP verbs);
 * for a resource request its API group, version, resource, subresource, namespace and name ("" when
 * absent); for a non-resource request (/healthz, /version, /apis) its path; for a list or watch its
 * fieldSelector as sent ("" when none), which the Node authorizer reads (1.32's AuthorizeNodeWithSelectors:
 * a node lists and watches only the pods with {@code spec.nodeName} set to itself).
 */
public record Attributes(UserInfo user, String verb, boolean resourceRequest, String apiGroup, String apiVersion,
    String resource, String subresource, String namespace, String name, String path, String fieldSelector) {

  /** Attributes without a field selector. */
  public Attributes(UserInfo user, String verb, boolean resourceRequest, String apiGroup, String apiVersion,
      String resource, String subresource, String namespace, String name, String path) {
    this(user, verb, resourceRequest, apiGroup, apiVersion, resource, subresource, namespace, name, path, "");
  }

  public Attributes {
    apiGroup = apiGroup == null ? "" : apiGroup;
    apiVersion = apiVersion == null ? "" : apiVersion;
    resource = resource == null ? "" : resource;
    subresource = subresource == null ? "" : subresource;
    namespace = namespace == null ? "" : namespace;
    name = name == null ? "" : name;
    path = path == null ? "" : path;
    fieldSelector = fieldSelector == null ? "" : fieldSelector;
  }

  public static Attributes resource(UserInfo user, String verb, String apiGroup, String resource, String subresource,
      String namespace, String name) {
    return new Attributes(user, verb, true, apiGroup, "", resource, subresource, namespace, name, "");
  }

  public static Attributes nonResource(UserInfo user, String verb, String path) {
    return new Attributes(user, verb, false, "", "", "", "", "", "", path);
  }
}
