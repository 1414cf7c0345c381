package io.kubeactor.controlplane.security.node;

import static io.kubeactor.controlplane.security.node.NodeObjects.pod;
import static io.kubeactor.controlplane.security.node.NodeObjects.volume;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import io.kubeactor.controlplane.security.authorization.Authorizer.Decision;
import io.kubeactor.controlplane.security.authorization.Authorizer.Decision.Outcome;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * node_authorizer.go's decisions, node × verb × resource × relationship: n1 runs "web" (which names the
 * Secret "web-secret", the ConfigMap "web-config", the claim "web-data" bound to the volume "pv-web",
 * and the ServiceAccount "web-sa"); n2 runs "other" (which names "other-secret").
 */
class NodeAuthorizerTest {

  private static final UserInfo N1 = NodeIdentity.userFor("n1");
  private static final String NO_RELATIONSHIP = "no relationship found between node 'n1' and this object";

  private static final NodeAuthorizer AUTHORIZER = authorizer();

  private static NodeAuthorizer authorizer() {
    NodeGraph graph = new NodeGraph();
    graph.setPod(pod("web", "n1", """
        "serviceAccountName": "web-sa",
        "containers": [{"name": "c", "image": "x", "envFrom": [{"configMapRef": {"name": "web-config"}}]}],
        "volumes": [{"name": "s", "secret": {"secretName": "web-secret"}},
                    {"name": "d", "persistentVolumeClaim": {"claimName": "web-data"}}]
        """));
    graph.setPod(pod("other", "n2", "\"volumes\": [{\"name\": \"s\", \"secret\": {\"secretName\": \"other-secret\"}}]"));
    graph.setPersistentVolume(volume("pv-web", "\"claimRef\": {\"namespace\": \"default\", \"name\": \"web-data\"}"));
    return NodeAuthorizer.withBootstrapRules(graph);
  }

  static Stream<Arguments> decisions() {
    return Stream.of(
        // Secrets and ConfigMaps: read, one at a time, only those of its pods
        row("get", "", "secrets", "", "default", "web-secret", "", Outcome.ALLOW, ""),
        row("list", "", "secrets", "", "default", "web-secret", "", Outcome.ALLOW, ""),
        row("watch", "", "secrets", "", "default", "web-secret", "", Outcome.ALLOW, ""),
        row("get", "", "secrets", "", "default", "other-secret", "", Outcome.NO_OPINION, NO_RELATIONSHIP),
        row("get", "", "secrets", "", "default", "missing", "", Outcome.NO_OPINION, NO_RELATIONSHIP),
        row("list", "", "secrets", "", "default", "", "", Outcome.NO_OPINION, "No Object name found"),
        row("update", "", "secrets", "", "default", "web-secret", "", Outcome.NO_OPINION, "can only read resources of this type"),
        row("get", "", "secrets", "", "", "web-secret", "", Outcome.NO_OPINION, "can only read namespaced object of this type"),
        row("get", "", "configmaps", "", "default", "web-config", "", Outcome.ALLOW, ""),
        row("get", "", "configmaps", "", "default", "web-secret", "", Outcome.NO_OPINION, NO_RELATIONSHIP),
        // claims and volumes: get only
        row("get", "", "persistentvolumeclaims", "", "default", "web-data", "", Outcome.ALLOW, ""),
        row("list", "", "persistentvolumeclaims", "", "default", "web-data", "", Outcome.NO_OPINION,
            "can only get individual resources of this type"),
        row("get", "", "persistentvolumes", "", "", "pv-web", "", Outcome.ALLOW, ""),
        row("get", "", "persistentvolumes", "", "", "pv-other", "", Outcome.NO_OPINION, NO_RELATIONSHIP),
        row("patch", "", "persistentvolumeclaims", "status", "default", "web-data", "", Outcome.ALLOW, ""),
        // tokens for the accounts of its pods
        row("create", "", "serviceaccounts", "token", "default", "web-sa", "", Outcome.ALLOW, ""),
        row("create", "", "serviceaccounts", "token", "default", "default", "", Outcome.NO_OPINION, NO_RELATIONSHIP),
        row("get", "", "serviceaccounts", "", "default", "web-sa", "", Outcome.NO_OPINION,
            "can only create tokens for individual service accounts"),
        // its own Node, read by name; writes left to NodeRestriction
        row("get", "", "nodes", "", "", "n1", "", Outcome.ALLOW, ""),
        row("get", "", "nodes", "", "", "n2", "", Outcome.NO_OPINION, "node 'n1' cannot read 'n2', only its own Node object"),
        row("list", "", "nodes", "", "", "", "", Outcome.NO_OPINION, "node 'n1' cannot read all nodes, only its own Node object"),
        row("patch", "", "nodes", "status", "", "n2", "", Outcome.ALLOW, ""),
        row("create", "", "nodes", "", "", "", "", Outcome.ALLOW, ""),
        row("delete", "", "nodes", "", "", "n1", "", Outcome.NO_OPINION, ""),
        // pods bound to it, listed by spec.nodeName
        row("get", "", "pods", "", "default", "web", "", Outcome.ALLOW, ""),
        row("get", "", "pods", "", "default", "other", "", Outcome.NO_OPINION, NO_RELATIONSHIP),
        row("list", "", "pods", "", "", "", "spec.nodeName=n1", Outcome.ALLOW, ""),
        row("watch", "", "pods", "", "", "", "status.phase=Running,spec.nodeName==n1", Outcome.ALLOW, ""),
        row("list", "", "pods", "", "", "", "spec.nodeName=n2", Outcome.NO_OPINION,
            "can only list/watch pods with spec.nodeName field selector"),
        row("list", "", "pods", "", "", "", "spec.nodeName!=n1", Outcome.NO_OPINION,
            "can only list/watch pods with spec.nodeName field selector"),
        row("list", "", "pods", "", "default", "", "", Outcome.NO_OPINION, "can only list/watch pods with spec.nodeName field selector"),
        row("update", "", "pods", "status", "default", "other", "", Outcome.ALLOW, ""),
        row("create", "", "pods", "eviction", "default", "other", "", Outcome.ALLOW, ""),
        row("update", "", "pods", "", "default", "web", "", Outcome.NO_OPINION, ""),
        row("get", "", "pods", "log", "default", "web", "", Outcome.NO_OPINION, ""),
        // its Lease in kube-node-lease
        row("update", "coordination.k8s.io", "leases", "", "kube-node-lease", "n1", "", Outcome.ALLOW, ""),
        row("create", "coordination.k8s.io", "leases", "", "kube-node-lease", "", "", Outcome.ALLOW, ""),
        row("update", "coordination.k8s.io", "leases", "", "kube-node-lease", "n2", "", Outcome.NO_OPINION,
            "can only access node lease with the same name as the requesting node"),
        row("get", "coordination.k8s.io", "leases", "", "kube-system", "n1", "", Outcome.NO_OPINION,
            "can only access leases in the \"kube-node-lease\" system namespace"),
        row("list", "coordination.k8s.io", "leases", "", "kube-node-lease", "", "", Outcome.NO_OPINION,
            "can only get, create, update, patch, or delete a node lease"),
        row("get", "storage.k8s.io", "csinodes", "", "", "n2", "", Outcome.NO_OPINION,
            "can only access CSINode with the same name as the requesting node"),
        row("get", "storage.k8s.io", "volumeattachments", "", "", "va", "", Outcome.NO_OPINION, NO_RELATIONSHIP),
        // the rest: the system:node ClusterRole's rules
        row("watch", "", "services", "", "", "", "", Outcome.ALLOW, ""),
        row("create", "", "events", "", "default", "", "", Outcome.ALLOW, ""),
        row("get", "", "endpoints", "", "default", "kubernetes", "", Outcome.ALLOW, ""),
        row("list", "node.k8s.io", "runtimeclasses", "", "", "", "", Outcome.ALLOW, ""),
        row("create", "", "configmaps", "", "default", "", "", Outcome.NO_OPINION, "can only read resources of this type"),
        row("list", "apps", "deployments", "", "default", "", "", Outcome.NO_OPINION, ""));
  }

  private static Arguments row(String verb, String group, String resource, String subresource, String namespace, String name,
      String fieldSelector, Outcome outcome, String reason) {
    return Arguments.of(new Attributes(N1, verb, true, group, "v1", resource, subresource, namespace, name, "", fieldSelector),
        outcome, reason);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decisions")
  void decides(Attributes request, Outcome outcome, String reason) {
    Decision d = AUTHORIZER.authorize(request);
    assertThat(d.outcome()).isEqualTo(outcome);
    assertThat(d.reason()).isEqualTo(reason);
  }

  @Test
  void usersWhoAreNotNodesGetNoOpinion() {
    UserInfo pretender = UserInfo.of("system:node:n1", UserInfo.AUTHENTICATED);
    UserInfo inGroupOnly = UserInfo.of("alice", NodeIdentity.NODES_GROUP);
    for (UserInfo user : new UserInfo[] {pretender, inGroupOnly, UserInfo.of("admin", UserInfo.SYSTEM_MASTERS)}) {
      Decision d = AUTHORIZER.authorize(Attributes.resource(user, "get", "", "secrets", "", "default", "web-secret"));
      assertThat(d).as(user.name()).isEqualTo(Decision.noOpinion(""));
    }
    assertThat(AUTHORIZER.rulesFor(pretender, "default").incomplete()).isFalse();
  }

  @Test
  void aNodeWithoutANameIsUnknownAndItsRulesCannotBeListed() {
    UserInfo nameless = new UserInfo("system:node:", "", java.util.List.of(NodeIdentity.NODES_GROUP), java.util.Map.of());
    assertThat(AUTHORIZER.authorize(Attributes.resource(nameless, "list", "", "services", "", "", "")))
        .isEqualTo(Decision.noOpinion("unknown node for user \"system:node:\""));
    assertThat(AUTHORIZER.rulesFor(N1, "default").errors()).containsExactly("node authorizer does not support user rule resolution");
  }
}
