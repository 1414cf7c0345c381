package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;

/** What the admission plugins read of the cluster, as the registry's watch cache holds it. */
public interface AdmissionReads {

  /** Every StorageClass, as stored. */
  Collection<ObjectNode> storageClasses();

  /** A ServiceAccount as stored, or null. */
  ObjectNode serviceAccount(String namespace, String name);
}
