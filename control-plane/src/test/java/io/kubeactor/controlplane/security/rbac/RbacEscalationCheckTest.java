package io.kubeactor.controlplane.security.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.registry.WriteOptions;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.util.ArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The escalation and bind checks on the registry's write path, as the RBAC kinds' policy-based
 * storage makes them upstream: refused with 403 and upstream's message, allowed with the rules
 * held, with the escalate or bind verb, or to system:masters.
 */
class RbacEscalationCheckTest {

  private static ControllerFixture fixture;
  private static InformerPolicySource source;

  /** Bob administers pods in "team" and may read pods cluster-wide; he is not a cluster admin. */
  private static final UserInfo BOB = UserInfo.of("bob", UserInfo.AUTHENTICATED);

  @BeforeAll
  static void start() {
    fixture = new ControllerFixture();
    fixture.apply("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"team\"}}");
    source = new InformerPolicySource(fixture.context.informers());
    RbacAuthorizer rbac = new RbacAuthorizer(source);
    fixture.registry.guardWrites(new RbacEscalationCheck(rbac, rbac));
    // written by the internal writer (system:masters), which no check stops
    fixture.apply("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: pod-admin}
        rules:
        - {apiGroups: [""], resources: [pods], verbs: ["*"]}
        # the verbs spelled out, as the admin role does: "*" would include escalate and bind
        - {apiGroups: [rbac.authorization.k8s.io], resources: [roles, rolebindings], verbs: [create, delete, get, list, patch, update, watch]}
        """);
    fixture.apply("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: pod-reader}
        rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
        """);
    fixture.apply("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: secret-reader}
        rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
        """);
    fixture.apply("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: bob-pod-admin, namespace: team}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-admin}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: bob}]
        """);
    fixture.apply("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: bob-pod-reader}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: bob}]
        """);
    await().until(() -> source.roleBindings("team", BOB).size() == 1 && source.clusterRoleBindings(BOB).size() == 1
        && source.clusterRole("secret-reader") != null);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static ObjectNode create(UserInfo user, String yaml) throws Exception {
    ObjectNode body = (ObjectNode) Json.YAML.readTree(yaml);
    ResourceType type = fixture.registry.types().byKind(body.path("apiVersion").asText(), body.path("kind").asText()).orElseThrow();
    WriteOptions opts = new WriteOptions(false, WriteOptions.FieldValidationMode.STRICT, new ArrayList<>(), user);
    try {
      return fixture.registry.create(type, body.path("metadata").path("namespace").asText(null), body, opts)
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  private static ObjectNode patch(UserInfo user, String kind, String namespace, String name, String mergePatch) throws Exception {
    ResourceType type = fixture.registry.types().byKind("rbac.authorization.k8s.io/v1", kind).orElseThrow();
    WriteOptions opts = new WriteOptions(false, WriteOptions.FieldValidationMode.STRICT, new ArrayList<>(), user);
    try {
      return fixture.registry.patch(type, namespace, name, null, "application/merge-patch+json", Json.YAML.readTree(mergePatch), opts)
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  private static String role(String kind, String name, String rule) {
    return """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: %s
        metadata: {name: %s, namespace: team}
        rules: [%s]
        """.formatted(kind, name, rule);
  }

  private static String binding(String kind, String name, String roleKind, String role) {
    return """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: %s
        metadata: {name: %s, namespace: team}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: %s, name: %s}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: someone}]
        """.formatted(kind, name, roleKind, role);
  }

  @Test
  void aRoleWithRulesTheUserHoldsIsCreated() throws Exception {
    assertThat(create(BOB, role("Role", "pod-watcher", "{apiGroups: [\"\"], resources: [pods], verbs: [get, watch]}"))
        .path("metadata").path("name").asText()).isEqualTo("pod-watcher");
  }

  @Test
  void aRoleGrantingWhatTheUserLacksIsForbiddenWithUpstreamsMessage() {
    assertThatThrownBy(() -> create(BOB, role("Role", "secret-lister",
        "{apiGroups: [\"\"], resources: [secrets, configmaps], verbs: [get, list]}")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code).isEqualTo(403);
          assertThat(e.reason).isEqualTo("Forbidden");
          assertThat(e.getMessage()).isEqualTo("roles.rbac.authorization.k8s.io \"secret-lister\" is forbidden: user \"bob\""
              + " (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
              + "{APIGroups:[\"\"], Resources:[\"configmaps\"], Verbs:[\"get\" \"list\"]}\n"
              + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\" \"list\"]}");
        });
    // outside "team" bob holds only the ClusterRoleBinding's rules: a ClusterRole of pod admin rights is an escalation
    assertThatThrownBy(() -> create(BOB, """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: pod-deleter}
        rules: [{apiGroups: [""], resources: [pods], verbs: [delete]}]
        """)).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).isEqualTo(
        "clusterroles.rbac.authorization.k8s.io \"pod-deleter\" is forbidden: user \"bob\" (groups=[\"system:authenticated\"])"
            + " is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}"));
    assertThat(fixture.get(io.fabric8.kubernetes.api.model.rbac.Role.class, "team", "secret-lister")).isNull();
  }

  @Test
  void theEscalateVerbAllowsWritingAnyRole() throws Exception {
    UserInfo carol = UserInfo.of("carol", UserInfo.AUTHENTICATED);
    fixture.apply("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: role-escalator}
        rules: [{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate]}]
        """);
    fixture.apply("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: carol-escalates}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: role-escalator}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: carol}]
        """);
    await().until(() -> source.clusterRoleBindings(carol).size() == 1 && source.clusterRole("role-escalator") != null);
    assertThat(create(carol, """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: node-admin}
        rules: [{apiGroups: [""], resources: [nodes], verbs: ["*"]}]
        """).path("rules")).hasSize(1);
    // the aggregationRule gathers anything: it takes every right, which escalate on clusterroles does grant
    assertThat(create(carol, """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: aggregated}
        aggregationRule: {clusterRoleSelectors: [{matchLabels: {x: "y"}}]}
        """).has("aggregationRule")).isTrue();
  }

  @Test
  void onlyAClusterAdminMaySetAnAggregationRuleWithoutEscalate() {
    assertThatThrownBy(() -> create(BOB, """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: sneaky}
        aggregationRule: {clusterRoleSelectors: [{matchLabels: {x: "y"}}]}
        """)).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).isEqualTo(
        "clusterroles.rbac.authorization.k8s.io \"sneaky\" is forbidden: must have cluster-admin privileges to use the aggregationRule"));
  }

  @Test
  void aBindingIsAllowedWhenTheUserHoldsTheRolesRules() throws Exception {
    // bob holds pod-reader's rules in "team" (through both his bindings)
    assertThat(create(BOB, binding("RoleBinding", "someone-reads-pods", "ClusterRole", "pod-reader"))
        .path("roleRef").path("name").asText()).isEqualTo("pod-reader");
  }

  @Test
  void aBindingToARoleWithRightsTheUserLacksIsForbidden() {
    assertThatThrownBy(() -> create(BOB, binding("RoleBinding", "someone-reads-secrets", "ClusterRole", "secret-reader")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code).isEqualTo(403);
          assertThat(e.getMessage()).isEqualTo("rolebindings.rbac.authorization.k8s.io \"someone-reads-secrets\" is forbidden:"
              + " user \"bob\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
              + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}");
        });
  }

  @Test
  void aBindingToAMissingRoleIsNotFound() {
    assertThatThrownBy(() -> create(BOB, binding("RoleBinding", "someone-ghost", "Role", "ghost")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code).isEqualTo(404);
          assertThat(e.getMessage()).isEqualTo("roles.rbac.authorization.k8s.io \"ghost\" not found");
        });
  }

  @Test
  void theBindVerbAllowsBindingTheNamedRole() throws Exception {
    UserInfo dave = UserInfo.of("dave", UserInfo.AUTHENTICATED);
    fixture.apply("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: binds-secret-reader}
        rules:
        - {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], resourceNames: [secret-reader], verbs: [bind]}
        """);
    fixture.apply("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: dave-binds, namespace: team}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: binds-secret-reader}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: dave}]
        """);
    await().until(() -> source.roleBindings("team", dave).size() == 1 && source.clusterRole("binds-secret-reader") != null);
    assertThat(create(dave, binding("RoleBinding", "dave-grants-secrets", "ClusterRole", "secret-reader"))).isNotNull();
    // the bind verb names one role: another is still checked against dave's own rules, which are none
    assertThatThrownBy(() -> create(dave, binding("RoleBinding", "dave-grants-pods", "ClusterRole", "pod-reader")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code).isEqualTo(403));
  }

  @Test
  void anUpdateIsCheckedButOneOfOnlyOwnersAndFinalizersIsNot() throws Exception {
    create(BOB, role("Role", "updated", "{apiGroups: [\"\"], resources: [pods], verbs: [get]}"));
    assertThat(patch(BOB, "Role", "team", "updated", "{rules: [{apiGroups: [''], resources: [pods], verbs: [get, delete]}]}")
        .path("rules").get(0).path("verbs")).hasSize(2);
    assertThatThrownBy(() -> patch(BOB, "Role", "team", "updated", "{rules: [{apiGroups: [''], resources: [nodes], verbs: [get]}]}"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).startsWith(
            "roles.rbac.authorization.k8s.io \"updated\" is forbidden: user \"bob\""));
    // a role bob could not write (written by an admin) still takes bob's finalizer: the garbage collector's fields pass
    fixture.apply(role("Role", "admins-role", "{apiGroups: [\"\"], resources: [nodes], verbs: [get]}"));
    assertThat(patch(BOB, "Role", "team", "admins-role", "{metadata: {finalizers: [example.com/keep]}}")
        .path("metadata").path("finalizers")).hasSize(1);
    assertThatThrownBy(() -> patch(BOB, "Role", "team", "admins-role", "{metadata: {labels: {a: b}}}"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code).isEqualTo(403));
  }

  @Test
  void removingAnAggregationRuleIsCheckedOnTheOldObjectToo() {
    fixture.apply("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: gathers}
        aggregationRule: {clusterRoleSelectors: [{matchLabels: {gathered: "true"}}]}
        """);
    assertThatThrownBy(() -> patch(BOB, "ClusterRole", null, "gathers", "{aggregationRule: null}"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).isEqualTo(
            "clusterroles.rbac.authorization.k8s.io \"gathers\" is forbidden: must have cluster-admin privileges to use the aggregationRule"));
  }

  @Test
  void systemMastersPassesEveryCheck() throws Exception {
    UserInfo admin = UserInfo.of("kubernetes-admin", UserInfo.SYSTEM_MASTERS, UserInfo.AUTHENTICATED);
    assertThat(create(admin, binding("ClusterRoleBinding", "someone-is-admin", "ClusterRole", "cluster-admin"))).isNotNull();
  }
}
