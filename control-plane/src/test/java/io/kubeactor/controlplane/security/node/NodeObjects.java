package io.kubeactor.controlplane.security.node;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.common.Json;

/** Pods and volumes written as their JSON, for the node authorizer's and NodeRestriction's tests. */
final class NodeObjects {
  private NodeObjects() {}

  /** A pod in "default" named {@code name} on {@code node} (null: unbound) with the given spec fields. */
  static Pod pod(String name, String node, String specFields) {
    String nodeField = node == null ? "" : "\"nodeName\": \"" + node + "\", ";
    return read("{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"namespace\": \"default\", \"name\": \""
        + name + "\", \"uid\": \"uid-" + name + "\"}, \"spec\": {" + nodeField + specFields + "}}", Pod.class);
  }

  static PersistentVolume volume(String name, String specFields) {
    return read("{\"apiVersion\": \"v1\", \"kind\": \"PersistentVolume\", \"metadata\": {\"name\": \"" + name
        + "\"}, \"spec\": {" + specFields + "}}", PersistentVolume.class);
  }

  static <T> T read(String json, Class<T> type) {
    try {
      return Json.MAPPER.readValue(json, type);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(json, e);
    }
  }
}
