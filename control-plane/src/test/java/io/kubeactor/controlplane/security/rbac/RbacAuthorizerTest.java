package io.kubeactor.controlplane.security.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import io.kubeactor.controlplane.security.authorization.Authorizer.Decision;
import io.kubeactor.controlplane.security.authorization.Authorizer.Decision.Outcome;
import org.junit.jupiter.api.Test;

/** rbac.go's Authorize and rule.go's VisitRulesFor and RulesFor, on hand-written objects. */
class RbacAuthorizerTest {

  private static final String POD_READER = """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata: {name: pod-reader}
      rules:
      - {apiGroups: [""], resources: [pods, pods/log], verbs: [get, list, watch]}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata: {name: config-editor, namespace: team}
      rules:
      - {apiGroups: [""], resources: [configmaps], resourceNames: [settings], verbs: [get, update]}
      """;

  private static final UserInfo ALICE = UserInfo.of("alice", UserInfo.AUTHENTICATED);
  private static final UserInfo RUNNER = UserInfo.of("system:serviceaccount:team:runner",
      "system:serviceaccounts", "system:serviceaccounts:team", UserInfo.AUTHENTICATED);

  private static Attributes get(UserInfo user, String resource, String subresource, String namespace, String name) {
    return Attributes.resource(user, "get", "", resource, subresource, namespace, name);
  }

  @Test
  void aRoleBindingToAServiceAccountAppliesInItsNamespaceOnly() {
    RbacAuthorizer rbac = new RbacAuthorizer(new PolicyObjects().add(POD_READER).add("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: runner-reads-pods, namespace: team}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
        subjects:
        - {kind: ServiceAccount, name: runner}
        """));
    Decision allowed = rbac.authorize(get(RUNNER, "pods", "log", "team", "web"));
    assertThat(allowed.outcome()).isEqualTo(Outcome.ALLOW);
    // the subject's namespace defaults to the binding's, and upstream names the binding "name/namespace"
    assertThat(allowed.reason()).isEqualTo("RBAC: allowed by RoleBinding \"runner-reads-pods/team\" of ClusterRole"
        + " \"pod-reader\" to ServiceAccount \"runner/team\"");
    assertThat(rbac.authorize(get(RUNNER, "pods", "", "other", "web")).outcome()).isEqualTo(Outcome.NO_OPINION);
    assertThat(rbac.authorize(get(RUNNER, "pods", "", "", "")).outcome()).as("a cluster-wide request").isEqualTo(Outcome.NO_OPINION);
    assertThat(rbac.authorize(get(RUNNER, "secrets", "", "team", "s")).outcome()).isEqualTo(Outcome.NO_OPINION);
    // another account of the same name elsewhere, or one whose name merely starts alike, is not the subject
    UserInfo elsewhere = UserInfo.of("system:serviceaccount:other:runner");
    UserInfo longer = UserInfo.of("system:serviceaccount:team:runner2");
    assertThat(rbac.authorize(get(elsewhere, "pods", "", "team", "web")).outcome()).isEqualTo(Outcome.NO_OPINION);
    assertThat(rbac.authorize(get(longer, "pods", "", "team", "web")).outcome()).isEqualTo(Outcome.NO_OPINION);
  }

  @Test
  void clusterRoleBindingsApplyEverywhereToUsersAndGroups() {
    RbacAuthorizer rbac = new RbacAuthorizer(new PolicyObjects().add(POD_READER).add("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: readers}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
        subjects:
        - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: readers}
        - {apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}
        """));
    Decision d = rbac.authorize(Attributes.resource(ALICE, "list", "", "pods", "", "", ""));
    assertThat(d.reason()).isEqualTo("RBAC: allowed by ClusterRoleBinding \"readers\" of ClusterRole \"pod-reader\" to User \"alice\"");
    assertThat(rbac.authorize(get(UserInfo.of("bob", "readers"), "pods", "", "any", "x")).reason())
        .endsWith("to Group \"readers\"");
    assertThat(rbac.authorize(get(UserInfo.of("carol"), "pods", "", "any", "x")).outcome()).isEqualTo(Outcome.NO_OPINION);
  }

  @Test
  void resourceNamesLimitTheRoleToTheNamedObjects() {
    RbacAuthorizer rbac = new RbacAuthorizer(new PolicyObjects().add(POD_READER).add("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: alice-settings, namespace: team}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: config-editor}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]
        """));
    assertThat(rbac.authorize(Attributes.resource(ALICE, "update", "", "configmaps", "", "team", "settings")).allowed()).isTrue();
    assertThat(rbac.authorize(Attributes.resource(ALICE, "update", "", "configmaps", "", "team", "other")).allowed()).isFalse();
    assertThat(rbac.authorize(Attributes.resource(ALICE, "list", "", "configmaps", "", "team", "")).allowed()).isFalse();
  }

  @Test
  void aBindingToAMissingRoleLeavesNoOpinionWithUpstreamsReason() {
    RbacAuthorizer rbac = new RbacAuthorizer(new PolicyObjects().add(POD_READER).add("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: ghost}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ghost-role}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: ghost, namespace: team}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ghost-role}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: reader, namespace: team}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]
        """));
    Decision cluster = rbac.authorize(get(ALICE, "nodes", "", "", "n1"));
    assertThat(cluster.outcome()).isEqualTo(Outcome.NO_OPINION);
    assertThat(cluster.reason()).isEqualTo("RBAC: clusterrole.rbac.authorization.k8s.io \"ghost-role\" not found");
    Decision namespaced = rbac.authorize(get(ALICE, "secrets", "", "team", "s"));
    assertThat(namespaced.reason()).isEqualTo("RBAC: [clusterrole.rbac.authorization.k8s.io \"ghost-role\" not found,"
        + " role.rbac.authorization.k8s.io \"ghost-role\" not found]");
    // the other bindings still count
    assertThat(rbac.authorize(get(ALICE, "pods", "", "team", "web")).allowed()).isTrue();
    assertThat(rbac.rulesFor(ALICE, "team").incomplete()).isTrue();
    assertThat(rbac.rulesFor(ALICE, "team").rules()).hasSize(1);
  }

  @Test
  void nonResourceUrlsAreGrantedByClusterRoleBindings() {
    RbacAuthorizer rbac = new RbacAuthorizer(new PolicyObjects().add("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: health}
        rules: [{nonResourceURLs: [/healthz, /healthz/*], verbs: [get]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: health}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: health}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:authenticated}]
        """));
    assertThat(rbac.authorize(Attributes.nonResource(ALICE, "get", "/healthz/etcd")).allowed()).isTrue();
    assertThat(rbac.authorize(Attributes.nonResource(ALICE, "get", "/metrics")).allowed()).isFalse();
    assertThat(rbac.authorize(Attributes.nonResource(ALICE, "post", "/healthz")).allowed()).isFalse();
    assertThat(rbac.rulesFor(ALICE, "").rules()).hasSize(1);
  }
}
