package io.kubeactor.agent.pod;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads an object a pod refers to (ConfigMap, Secret, PersistentVolumeClaim, PersistentVolume) from the control plane. */
public interface ObjectReader {

  /** The object, or null when it does not exist. Throws when the control plane cannot be asked. */
  ObjectNode read(String kind, String namespace, String name) throws Exception;
}
