package io.kubeactor.controlplane.controller.garbagecollector;

import io.kubeactor.controlplane.api.ResourceType;

/**
 * One object of any kind, as the garbage collector's work queue names it:
 * "replicasets.apps/default/web", or "nodes//node-1" for a cluster-scoped one.
 *
 * @param type the stored type of the kind
 * @param namespace "" for cluster-scoped objects
 */
record ObjectId(ResourceType type, String namespace, String name) {

  String key() {
    return type.qualifiedResource() + "/" + namespace + "/" + name;
  }

  /** The namespace as the registry and the informers take it: null when cluster-scoped. */
  String namespaceOrNull() {
    return namespace.isEmpty() ? null : namespace;
  }

  /** The qualified resource of a key ("replicasets.apps"). */
  static String resourceOfKey(String key) {
    return key.substring(0, key.indexOf('/'));
  }

  static ObjectId parse(ResourceType type, String key) {
    String[] parts = key.split("/", 3);
    return new ObjectId(type, parts[1], parts[2]);
  }

  @Override
  public String toString() {
    return key();
  }
}
