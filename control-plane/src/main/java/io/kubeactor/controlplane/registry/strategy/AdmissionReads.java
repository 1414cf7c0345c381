package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;

/** What the admission plugins read of the cluster, as the registry's watch cache holds it. */
public interface AdmissionReads {

  /** Every StorageClass, as stored. */
  Collection<ObjectNode> storageClasses();

  /** Every IngressClass, as stored (a handful: read only for an Ingress created without a class). */
  Collection<ObjectNode> ingressClasses();

  /** A ServiceAccount as stored, or null. */
  ObjectNode serviceAccount(String namespace, String name);

  /** Whether the namespace has a VerticalPodAutoscaler: one lookup in the cache's sorted map. */
  boolean hasVerticalPodAutoscalers(String namespace);

  /** The namespace's VerticalPodAutoscalers, as stored. */
  Collection<ObjectNode> verticalPodAutoscalers(String namespace);

  /** A VPA's target (its spec.targetRef, in the namespace) as stored, or null when not found or not served. */
  ObjectNode vpaTarget(JsonNode targetRef, String namespace);
}
