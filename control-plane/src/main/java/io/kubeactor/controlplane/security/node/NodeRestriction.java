package io.kubeactor.controlplane.security.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.WriteGuard;
import io.kubeactor.controlplane.registry.decoding.GoStrings;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.serviceaccount.BoundObjects;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * kube-apiserver's NodeRestriction admission plugin (plugin/pkg/admission/noderestriction/admission.go):
 * a node changes only its own Node (not its taints, its configSource or protected labels), creates only
 * mirror pods bound to itself, deletes, evicts and writes the status of only the pods bound to itself,
 * its own Lease and CSINode, and asks for tokens only bound to a pod bound to itself. Anything else is
 * 403 with upstream's message. Requests of users who are not nodes pass untouched (one string check).
 *
 * <p>The registry runs it as a {@link WriteGuard}; the agents' channel calls {@link #admitPodStatus}
 * and the others directly with the node's name.
 */
public final class NodeRestriction implements WriteGuard {

  static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";
  private static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
  private static final String NODE_RESTRICTION_LABEL_NAMESPACE = "node-restriction.kubernetes.io";
  /** The labels a kubelet sets on itself (k8s.io/kubelet/pkg/apis's kubeletLabels and namespaces). */
  private static final Set<String> KUBELET_LABELS = Set.of("kubernetes.io/hostname", "topology.kubernetes.io/zone",
      "topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/region",
      "beta.kubernetes.io/instance-type", "node.kubernetes.io/instance-type", "beta.kubernetes.io/os",
      "beta.kubernetes.io/arch", "kubernetes.io/os", "kubernetes.io/arch");
  private static final Set<String> KUBELET_LABEL_NAMESPACES = Set.of("kubelet.kubernetes.io", "node.kubernetes.io");

  private enum Operation { CREATE, UPDATE, DELETE }

  /** What admission is asked about (upstream's admission.Attributes, as far as this plugin reads them). */
  private record Request(Operation operation, String group, String resource, String subresource, String namespace,
      String name, JsonNode object, JsonNode old) {}

  private final BoundObjects objects;

  /** @param objects where the pods and nodes a check needs are read (the informers, as upstream's listers) */
  public NodeRestriction(BoundObjects objects) {
    this.objects = objects;
  }

  // ---- the registry's hooks ----

  @Override
  public void check(ResourceType type, ObjectNode object, ObjectNode old, UserInfo user) {
    String node = NodeIdentity.nodeName(user);
    if (node == null) return;
    admit(node, user, new Request(old == null ? Operation.CREATE : Operation.UPDATE, type.group(), type.plural(), "",
        object.path("metadata").path("namespace").asText(""), object.path("metadata").path("name").asText(""), object, old));
  }

  @Override
  public void checkSubresource(ResourceType type, String subresource, String namespace, String name, ObjectNode object,
      ObjectNode old, UserInfo user) {
    String node = NodeIdentity.nodeName(user);
    if (node == null) return;
    boolean create = subresource.equals("eviction") || subresource.equals("token");
    admit(node, user, new Request(create ? Operation.CREATE : Operation.UPDATE, type.group(), type.plural(), subresource,
        namespace == null ? "" : namespace, name, object, old));
  }

  @Override
  public void checkDelete(ResourceType type, ObjectNode current, UserInfo user) {
    String node = NodeIdentity.nodeName(user);
    if (node == null) return;
    JsonNode meta = current.path("metadata");
    admit(node, user, new Request(Operation.DELETE, type.group(), type.plural(), "", meta.path("namespace").asText(""),
        meta.path("name").asText(""), null, current));
  }

  // ---- entry points for the agents' own channel ----

  /** A node writing a pod's status: {@code current} is the pod as stored, {@code updated} as it would be written. */
  public void admitPodStatus(String nodeName, JsonNode current, JsonNode updated) {
    JsonNode meta = current.path("metadata");
    admitPodStatus(nodeName, new Request(Operation.UPDATE, "", "pods", "status", meta.path("namespace").asText(""),
        meta.path("name").asText(""), updated, current));
  }

  /** A node writing its Node ({@code current} null when it registers). */
  public void admitNode(String nodeName, JsonNode current, JsonNode updated) {
    admitNode(nodeName, new Request(current == null ? Operation.CREATE : Operation.UPDATE, "", "nodes", "", "",
        updated.path("metadata").path("name").asText(""), updated, current));
  }

  /** A node evicting or deleting a pod: {@code pod} as stored, null when there is none. */
  public void admitPodRemoval(String nodeName, String namespace, String podName, JsonNode pod, boolean eviction) {
    Request r = new Request(eviction ? Operation.CREATE : Operation.DELETE, "", "pods", eviction ? "eviction" : "", namespace,
        podName, null, pod);
    if (eviction) admitPodEviction(nodeName, r);
    else admitPodDelete(nodeName, r);
  }

  // ---- the plugin ----

  private void admit(String node, UserInfo user, Request r) {
    if (node.isEmpty()) {
      throw forbidden(r, "could not determine node from user " + GoStrings.quote(user.name()));
    }
    switch (r.group() + "/" + r.resource()) {
      case "/pods" -> {
        switch (r.subresource()) {
          case "" -> {
            switch (r.operation()) {
              case CREATE -> admitPodCreate(node, r);
              case DELETE -> admitPodDelete(node, r);
              default -> throw forbidden(r, "unexpected operation \"" + r.operation() + "\", node "
                  + GoStrings.quote(node) + " can only create and delete mirror pods");
            }
          }
          case "status" -> admitPodStatus(node, r);
          case "eviction" -> admitPodEviction(node, r);
          default -> throw forbidden(r, "unexpected pod subresource " + GoStrings.quote(r.subresource())
              + ", only 'status' and 'eviction' are allowed");
        }
      }
      case "/nodes" -> admitNode(node, r);
      case "/persistentvolumeclaims" -> {
        if (!r.subresource().equals("status")) throw forbidden(r, "may only update PVC status");
        admitClaimStatus(node, r);
      }
      case "/serviceaccounts" -> admitTokenRequest(node, r);
      case "coordination.k8s.io/leases" -> admitOwnNamed(node, r, true, "node lease");
      case "storage.k8s.io/csinodes" -> admitOwnNamed(node, r, false, "CSINode");
      default -> { }
    }
  }

  /** Only mirror pods of its own static pods, owned by its Node, referring to no other object. */
  private void admitPodCreate(String node, Request r) {
    JsonNode meta = r.object().path("metadata");
    String quoted = GoStrings.quote(node);
    if (!meta.path("annotations").has(MIRROR_POD_ANNOTATION)) {
      throw forbidden(r, "pod does not have \"" + MIRROR_POD_ANNOTATION + "\" annotation, node " + quoted
          + " can only create mirror pods");
    }
    if (!node.equals(r.object().path("spec").path("nodeName").asText(""))) {
      throw forbidden(r, "node " + quoted + " can only create pods with spec.nodeName set to itself");
    }
    JsonNode owners = meta.path("ownerReferences");
    if (owners.size() > 1) throw forbidden(r, "node " + quoted + " can only create pods with a single owner reference set to itself");
    if (owners.size() == 0) throw forbidden(r, "node " + quoted + " can only create pods with an owner reference set to itself");
    JsonNode owner = owners.get(0);
    if (!owner.path("apiVersion").asText("").equals("v1") || !owner.path("kind").asText("").equals("Node")
        || !owner.path("name").asText("").equals(node)) {
      throw forbidden(r, "node " + quoted + " can only create pods with an owner reference set to itself");
    }
    if (!owner.path("controller").asBoolean(false)) {
      throw forbidden(r, "node " + quoted + " can only create pods with a controller owner reference set to itself");
    }
    if (owner.path("blockOwnerDeletion").asBoolean(false)) {
      throw forbidden(r, "node " + quoted + " must not set blockOwnerDeletion on an owner reference");
    }
    Optional<Node> own = objects.node(node);
    if (own.isEmpty()) throw ApiException.notFound("", "nodes", node);
    String uid = owner.path("uid").asText("");
    if (!uid.equals(own.get().getMetadata().getUid())) {
      throw forbidden(r, "node " + node + " UID mismatch: expected " + uid + " got " + own.get().getMetadata().getUid());
    }
    Pod pod = Json.MAPPER.convertValue(r.object(), Pod.class);
    if (pod.getSpec() != null && pod.getSpec().getServiceAccountName() != null && !pod.getSpec().getServiceAccountName().isEmpty()) {
      throw forbidden(r, "node " + quoted + " can not create pods that reference a service account");
    }
    if (!ObjectReferences.podSecrets(pod).isEmpty()) throw forbidden(r, "node " + quoted + " can not create pods that reference secrets");
    if (!ObjectReferences.podConfigMaps(pod).isEmpty()) {
      throw forbidden(r, "node " + quoted + " can not create pods that reference configmaps");
    }
    for (JsonNode v : r.object().path("spec").path("volumes")) {
      for (JsonNode source : v.path("projected").path("sources")) {
        if (source.has("clusterTrustBundle")) {
          throw forbidden(r, "node " + quoted + " can not create pods that reference clustertrustbundles");
        }
      }
    }
    for (JsonNode v : r.object().path("spec").path("volumes")) {
      if (v.has("persistentVolumeClaim")) {
        throw forbidden(r, "node " + quoted + " can not create pods that reference persistentvolumeclaims");
      }
    }
  }

  private void admitPodDelete(String node, Request r) {
    if (r.old() == null) throw ApiException.notFound("", "pods", r.name());
    if (!node.equals(r.old().path("spec").path("nodeName").asText(""))) {
      throw forbidden(r, "node " + GoStrings.quote(node) + " can only delete pods with spec.nodeName set to itself");
    }
  }

  private void admitPodStatus(String node, Request r) {
    if (!node.equals(r.old().path("spec").path("nodeName").asText(""))) {
      throw forbidden(r, "node " + GoStrings.quote(node) + " can only update pod status for pods with spec.nodeName set to itself");
    }
    if (!labels(r.object()).equals(labels(r.old()))) {
      throw forbidden(r, "node " + GoStrings.quote(node) + " cannot update labels through pod status");
    }
    if (!claimStatuses(r.object()).equals(claimStatuses(r.old()))) {
      throw forbidden(r, "node " + GoStrings.quote(node) + " cannot update resource claim statues");
    }
  }

  private void admitPodEviction(String node, Request r) {
    if (r.old() == null) throw ApiException.notFound("", "pods", r.name());
    if (!node.equals(r.old().path("spec").path("nodeName").asText(""))) {
      // upstream formats this one with %s: the node's name unquoted
      throw forbidden(r, "node " + node + " can only evict pods with spec.nodeName set to itself");
    }
  }

  /**
   * Only the parts a kubelet reports: everything but status.capacity and status.conditions (and, with
   * RecoverVolumeExpansionFailure on by default since 1.32, status.allocatedResources and
   * allocatedResourceStatuses) stays as it is.
   */
  private static void admitClaimStatus(String node, Request r) {
    if (r.operation() != Operation.UPDATE) throw forbidden(r, "unexpected operation \"" + r.operation() + "\"");
    if (!reportedOnly(r.old()).equals(reportedOnly(r.object()))) {
      throw forbidden(r, "node " + GoStrings.quote(node)
          + " is not allowed to update fields other than status.capacity and status.conditions");
    }
  }

  private static JsonNode reportedOnly(JsonNode claim) {
    ObjectNode copy = claim.deepCopy();
    ObjectNode meta = copy.withObjectProperty("metadata");
    meta.remove("resourceVersion");
    meta.remove("managedFields");
    ObjectNode status = copy.withObjectProperty("status");
    for (String f : new String[] {"capacity", "conditions", "allocatedResources", "allocatedResourceStatuses"}) status.remove(f);
    return copy;
  }

  private static void admitNode(String node, Request r) {
    if (!r.name().equals(node)) {
      throw forbidden(r, "node " + GoStrings.quote(node) + " is not allowed to modify node " + GoStrings.quote(r.name()));
    }
    String quoted = GoStrings.quote(node);
    if (r.operation() == Operation.CREATE) {
      if (present(r.object().path("spec").path("configSource"))) {
        throw forbidden(r, "node " + quoted + " is not allowed to create pods with a non-nil configSource");
      }
      Set<String> forbidden = forbiddenLabels(labels(r.object()), Map.of());
      if (!forbidden.isEmpty()) {
        throw forbidden(r, "node " + quoted + " is not allowed to set the following labels: " + String.join(", ", forbidden));
      }
    }
    if (r.operation() == Operation.UPDATE) {
      JsonNode configSource = r.object().path("spec").path("configSource");
      if (present(configSource) && !configSource.equals(r.old().path("spec").path("configSource"))) {
        throw forbidden(r, "node " + quoted + " is not allowed to update configSource to a new non-nil configSource");
      }
      if (!taints(r.object()).equals(taints(r.old()))) throw forbidden(r, "node " + quoted + " is not allowed to modify taints");
      Set<String> forbidden = forbiddenLabels(labels(r.object()), labels(r.old()));
      if (!forbidden.isEmpty()) throw forbidden(r, "is not allowed to modify labels: " + String.join(", ", forbidden));
    }
  }

  /** A TokenRequest must be bound to a pod, by name and uid, that is bound to the node. */
  private void admitTokenRequest(String node, Request r) {
    if (r.operation() != Operation.CREATE || !r.subresource().equals("token")) return;
    JsonNode ref = r.object().path("spec").path("boundObjectRef");
    if (!ref.isObject() || !ref.path("apiVersion").asText("").equals("v1") || !ref.path("kind").asText("").equals("Pod")
        || ref.path("name").asText("").isEmpty()) {
      throw forbidden(r, "node requested token not bound to a pod");
    }
    String uid = ref.path("uid").asText("");
    if (uid.isEmpty()) throw forbidden(r, "node requested token with a pod binding without a uid");
    String podName = ref.path("name").asText();
    Pod pod = objects.pod(r.namespace(), podName).orElseThrow(() -> ApiException.notFound("", "pods", podName));
    if (!uid.equals(pod.getMetadata().getUid())) {
      throw forbidden(r, "the UID in the bound object reference (" + uid
          + ") does not match the UID in record. The object might have been deleted and then recreated");
    }
    if (pod.getSpec() == null || !node.equals(pod.getSpec().getNodeName())) {
      throw forbidden(r, "node requested token bound to a pod scheduled on a different node");
    }
  }

  /** A Lease (in kube-node-lease only) or a CSINode: the one named as the node. */
  private static void admitOwnNamed(String node, Request r, boolean lease, String what) {
    if (lease && !r.namespace().equals(NODE_LEASE_NAMESPACE)) {
      throw forbidden(r, "can only access leases in the \"" + NODE_LEASE_NAMESPACE + "\" system namespace");
    }
    if (!r.name().equals(node)) throw forbidden(r, "can only access " + what + " with the same name as the requesting node");
  }

  /** Labels a node may not add, change or remove on itself: node-restriction ones, and kubernetes.io/k8s.io ones a kubelet does not set. */
  static Set<String> forbiddenLabels(Map<String, String> after, Map<String, String> before) {
    Set<String> modified = new TreeSet<>();
    after.forEach((k, v) -> {
      if (!v.equals(before.get(k))) modified.add(k);
    });
    before.forEach((k, v) -> {
      if (!v.equals(after.get(k))) modified.add(k);
    });
    Set<String> forbidden = new TreeSet<>();
    for (String label : modified) {
      String ns = labelNamespace(label);
      if (ns.equals(NODE_RESTRICTION_LABEL_NAMESPACE) || ns.endsWith("." + NODE_RESTRICTION_LABEL_NAMESPACE)) forbidden.add(label);
      if (isKubernetesLabel(ns) && !isKubeletLabel(label, ns)) forbidden.add(label);
    }
    return forbidden;
  }

  private static boolean isKubernetesLabel(String ns) {
    return ns.equals("kubernetes.io") || ns.endsWith(".kubernetes.io") || ns.equals("k8s.io") || ns.endsWith(".k8s.io");
  }

  private static boolean isKubeletLabel(String label, String ns) {
    if (KUBELET_LABELS.contains(label)) return true;
    for (String allowed : KUBELET_LABEL_NAMESPACES) if (ns.equals(allowed) || ns.endsWith("." + allowed)) return true;
    return false;
  }

  private static String labelNamespace(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? "" : key.substring(0, slash);
  }

  private static Map<String, String> labels(JsonNode object) {
    Map<String, String> labels = new java.util.HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.path("metadata").path("labels").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      labels.put(e.getKey(), e.getValue().asText(""));
    }
    return labels;
  }

  /** Taints compared as Go's semantic equality does: an empty list is no list. */
  private static JsonNode taints(JsonNode node) {
    JsonNode t = node.path("spec").path("taints");
    return t.isArray() && t.size() > 0 ? t : Json.MAPPER.createArrayNode();
  }

  /** The name and claim of each status.resourceClaimStatuses entry, in order. */
  private static java.util.List<String> claimStatuses(JsonNode pod) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (JsonNode s : pod.path("status").path("resourceClaimStatuses")) {
      out.add(s.path("name").asText("") + "\u0000" + (s.hasNonNull("resourceClaimName") ? s.get("resourceClaimName").asText() : "\u0001"));
    }
    return out;
  }

  private static boolean present(JsonNode n) {
    return !n.isMissingNode() && !n.isNull();
  }

  /**
   * admission.NewForbidden: {@code <resource> "<name>" is forbidden: <why>}, the name from the request,
   * else the object's (or its generateName), else "Unknown".
   */
  private static ApiException forbidden(Request r, String why) {
    String name = r.name();
    if (name.isEmpty() && r.object() != null) {
      JsonNode meta = r.object().path("metadata");
      name = meta.path("name").asText("");
      if (name.isEmpty()) name = meta.path("generateName").asText("");
    }
    if (name.isEmpty()) name = "Unknown";
    return ApiException.forbidden(r.group(), r.resource(), name, why);
  }
}
