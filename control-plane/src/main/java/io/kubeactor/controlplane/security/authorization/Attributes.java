package io.kubeactor.controlplane.security.authorization;

import io.kubeactor.controlplane.security.authentication.UserInfo;

/**
 * What a request asks to do, as kube-apiserver's request info resolver reads it (upstream's
 * authorizer.Attributes): the user; the verb (get, list, watch, create, update, patch, delete,
 * deletecollection, or impersonate, bind, escalate, use ... for checks that are not HTTP verbs);
 * for a resource request its API group, version, resource, subresource, namespace and name ("" when
 * absent); for a non-resource request (/healthz, /version, /apis) its path.
 */
public record Attributes(UserInfo user, String verb, boolean resourceRequest, String apiGroup, String apiVersion,
    String resource, String subresource, String namespace, String name, String path) {

  public Attributes {
    apiGroup = apiGroup == null ? "" : apiGroup;
    apiVersion = apiVersion == null ? "" : apiVersion;
    resource = resource == null ? "" : resource;
    subresource = subresource == null ? "" : subresource;
    namespace = namespace == null ? "" : namespace;
    name = name == null ? "" : name;
    path = path == null ? "" : path;
  }

  public static Attributes resource(UserInfo user, String verb, String apiGroup, String resource, String subresource,
      String namespace, String name) {
    return new Attributes(user, verb, true, apiGroup, "", resource, subresource, namespace, name, "");
  }

  public static Attributes nonResource(UserInfo user, String verb, String path) {
    return new Attributes(user, verb, false, "", "", "", "", "", "", path);
  }
}
