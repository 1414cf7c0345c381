package io.kubeactor.controlplane.security.node;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.kubeactor.controlplane.registry.decoding.GoStrings;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import io.kubeactor.controlplane.security.authorization.Authorizer;
import io.kubeactor.controlplane.security.authorization.RuleResolver;
import io.kubeactor.controlplane.security.node.NodeGraph.Kind;
import io.kubeactor.controlplane.security.rbac.BootstrapPolicy;
import io.kubeactor.controlplane.security.rbac.PolicyRules;
import java.util.List;

/**
 * kube-apiserver's Node authorizer (plugin/pkg/auth/authorizer/node/node_authorizer.go, v1.32 with
 * AuthorizeNodeWithSelectors on, as it is by default): a node reads the Secrets, ConfigMaps, claims,
 * volumes and the pods that pods bound to it need ({@link NodeGraph}), its own Node, its own Lease and
 * CSINode, and otherwise what the system:node ClusterRole lists. It never denies: without a
 * relationship it has no opinion, says why, and RBAC decides. Users who are not nodes: no opinion.
 *
 * <p>The agents' own channel calls {@link #authorize} too, with {@link NodeIdentity#userFor}.
 */
public final class NodeAuthorizer implements Authorizer, RuleResolver {

  private static final String NODE_LEASE_NAMESPACE = "kube-node-lease";

  private final NodeGraph graph;
  private final List<PolicyRule> nodeRules;

  public NodeAuthorizer(NodeGraph graph, List<PolicyRule> nodeRules) {
    this.graph = graph;
    this.nodeRules = List.copyOf(nodeRules);
  }

  /** With the rules of bootstrappolicy's NodeRules(): those of the system:node ClusterRole. */
  public static NodeAuthorizer withBootstrapRules(NodeGraph graph) {
    ClusterRole role = BootstrapPolicy.load().clusterRoles().stream()
        .filter(r -> r.getMetadata().getName().equals("system:node")).findFirst()
        .orElseThrow(() -> new IllegalStateException("the bootstrap policy has no system:node ClusterRole"));
    return new NodeAuthorizer(graph, role.getRules());
  }

  @Override
  public Rules rulesFor(UserInfo user, String namespace) {
    if (NodeIdentity.nodeName(user) == null) return new Rules(List.of(), List.of());
    // a node's permissions depend on objects, not rules: the list is incomplete, as upstream says
    return new Rules(List.of(), List.of("node authorizer does not support user rule resolution"));
  }

  @Override
  public Decision authorize(Attributes a) {
    String node = NodeIdentity.nodeName(a.user());
    if (node == null) return Decision.noOpinion("");
    if (node.isEmpty()) return Decision.noOpinion("unknown node for user " + GoStrings.quote(a.user().name()));
    if (a.resourceRequest()) {
      Decision d = switch (a.apiGroup() + "/" + a.resource()) {
        case "/secrets" -> readNamespaced(node, Kind.SECRET, a);
        case "/configmaps" -> readNamespaced(node, Kind.CONFIGMAP, a);
        case "/persistentvolumeclaims" -> a.subresource().equals("status")
            ? statusUpdate(node, Kind.PERSISTENTVOLUMECLAIM, a) : get(node, Kind.PERSISTENTVOLUMECLAIM, a);
        case "/persistentvolumes" -> get(node, Kind.PERSISTENTVOLUME, a);
        // no VolumeAttachment is in the graph (the kind is not served): none is related
        case "storage.k8s.io/volumeattachments" -> get(node, null, a);
        case "/serviceaccounts" -> createToken(node, a);
        case "coordination.k8s.io/leases" -> lease(node, a);
        case "storage.k8s.io/csinodes" -> csiNode(node, a);
        case "/nodes" -> nodeObject(node, a);
        case "/pods" -> pod(node, a);
        default -> null;
      };
      if (d != null) return d;
    }
    // everything else is not subdivided: the static node rules
    for (PolicyRule rule : nodeRules) if (PolicyRules.allows(a, rule)) return Decision.allow("");
    return Decision.noOpinion("");
  }

  /** get, list and watch of one named object of a namespace (list and watch by a metadata.name selector). */
  private Decision readNamespaced(String node, Kind kind, Attributes a) {
    if (!List.of("get", "list", "watch").contains(a.verb())) return Decision.noOpinion("can only read resources of this type");
    if (!a.subresource().isEmpty()) return Decision.noOpinion("cannot read subresource");
    if (a.namespace().isEmpty()) return Decision.noOpinion("can only read namespaced object of this type");
    return related(node, kind, a);
  }

  private Decision get(String node, Kind kind, Attributes a) {
    if (!a.verb().equals("get")) return Decision.noOpinion("can only get individual resources of this type");
    if (!a.subresource().isEmpty()) return Decision.noOpinion("cannot get subresource");
    return related(node, kind, a);
  }

  private Decision statusUpdate(String node, Kind kind, Attributes a) {
    if (!a.verb().equals("update") && !a.verb().equals("patch")) {
      return Decision.noOpinion("can only get/update/patch this type");
    }
    return related(node, kind, a);
  }

  private Decision related(String node, Kind kind, Attributes a) {
    if (a.name().isEmpty()) return Decision.noOpinion("No Object name found");
    if (kind != null && graph.related(node, kind, a.namespace(), a.name())) return Decision.allow("");
    return noRelationship(node);
  }

  private static Decision noRelationship(String node) {
    return Decision.noOpinion("no relationship found between node '" + node + "' and this object");
  }

  private Decision createToken(String node, Attributes a) {
    if (!a.verb().equals("create") || a.name().isEmpty()) {
      return Decision.noOpinion("can only create tokens for individual service accounts");
    }
    if (!a.subresource().equals("token")) return Decision.noOpinion("can only create token subresource of serviceaccount");
    return graph.related(node, Kind.SERVICEACCOUNT, a.namespace(), a.name()) ? Decision.allow("") : noRelationship(node);
  }

  private static Decision lease(String node, Attributes a) {
    if (!List.of("get", "create", "update", "patch", "delete").contains(a.verb())) {
      return Decision.noOpinion("can only get, create, update, patch, or delete a node lease");
    }
    if (!a.namespace().equals(NODE_LEASE_NAMESPACE)) {
      return Decision.noOpinion("can only access leases in the \"" + NODE_LEASE_NAMESPACE + "\" system namespace");
    }
    // a create's name is in its body, which NodeRestriction checks
    if (!a.verb().equals("create") && !a.name().equals(node)) {
      return Decision.noOpinion("can only access node lease with the same name as the requesting node");
    }
    return Decision.allow("");
  }

  private static Decision csiNode(String node, Attributes a) {
    if (!List.of("get", "create", "update", "patch", "delete").contains(a.verb())) {
      return Decision.noOpinion("can only get, create, update, patch, or delete a CSINode");
    }
    if (!a.subresource().isEmpty()) return Decision.noOpinion("cannot authorize CSINode subresources");
    if (!a.verb().equals("create") && !a.name().equals(node)) {
      return Decision.noOpinion("can only access CSINode with the same name as the requesting node");
    }
    return Decision.allow("");
  }

  /** Its own Node only; writes are left to NodeRestriction, which knows the object. */
  private static Decision nodeObject(String node, Attributes a) {
    switch (a.subresource()) {
      case "" -> {
        switch (a.verb()) {
          case "create", "update", "patch" -> {
            return Decision.allow("");
          }
          case "get", "list", "watch" -> {
            // by name, not through the graph: a kubelet reads its Node before it has created it
            if (a.name().equals(node)) return Decision.allow("");
            if (a.name().isEmpty()) {
              return Decision.noOpinion("node '" + node + "' cannot read all nodes, only its own Node object");
            }
            return Decision.noOpinion("node '" + node + "' cannot read '" + a.name() + "', only its own Node object");
          }
          default -> { }
        }
      }
      case "status" -> {
        if (a.verb().equals("update") || a.verb().equals("patch")) return Decision.allow("");
      }
      default -> { }
    }
    return Decision.noOpinion("");
  }

  /** Pods bound to it; mirror pods, status and eviction are left to NodeRestriction. */
  private Decision pod(String node, Attributes a) {
    switch (a.subresource()) {
      case "" -> {
        switch (a.verb()) {
          case "get" -> {
            return get(node, Kind.POD, a);
          }
          case "list", "watch" -> {
            if (selectsNode(a.fieldSelector(), node)) return Decision.allow("");
            if (!a.name().isEmpty()) return related(node, Kind.POD, a);
            return Decision.noOpinion("can only list/watch pods with spec.nodeName field selector");
          }
          case "create", "delete" -> {
            return Decision.allow("");
          }
          default -> { }
        }
      }
      case "status" -> {
        if (a.verb().equals("update") || a.verb().equals("patch")) return Decision.allow("");
      }
      case "eviction" -> {
        if (a.verb().equals("create")) return Decision.allow("");
      }
      default -> { }
    }
    return Decision.noOpinion("");
  }

  /** Whether a field selector requires {@code spec.nodeName} to equal the node ("=" or "=="). */
  static boolean selectsNode(String selector, String node) {
    if (selector.isEmpty()) return false;
    for (String term : selector.split(",")) {
      if (term.contains("!=")) continue;
      int eq = term.indexOf('=');
      if (eq < 0) continue;
      String value = term.substring(eq + 1);
      if (value.startsWith("=")) value = value.substring(1);
      if (term.substring(0, eq).strip().equals("spec.nodeName") && value.strip().equals(node)) return true;
    }
    return false;
  }
}
